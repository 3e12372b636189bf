/** The fault registry as the hooks the S3 endpoint, the function host and the gateway call. */
import type { GatewayFaultHook } from '../gateway/server';
import type { FunctionFaultHook } from '../lambda-host/function-host';
import type { S3FaultHook } from '../s3';
import type { Faults } from './fault-control';

export function s3FaultHook(faults: Faults): S3FaultHook {
  return (operation, call) => {
    const { delayMs, effect } = faults.draw({ service: 's3', operation }, call);
    const status = effect?.kind === 'status' && (effect.status === 500 || effect.status === 503);
    return { delayMs, status: status ? (effect.status as 500 | 503) : undefined };
  };
}

export function functionFaultHook(faults: Faults): FunctionFaultHook {
  return (phase, call) => {
    const { delayMs, effect, by } = faults.draw({ service: 'function', phase }, call);
    const kind = effect?.kind === 'status' ? undefined : effect?.kind;
    return { delayMs, kind, by };
  };
}

export function gatewayFaultHook(faults: Faults): GatewayFaultHook {
  return (phase, call) => {
    const { delayMs, effect } = faults.draw({ service: 'gateway', phase }, call);
    if (effect?.kind !== 'status') return { delayMs, status: undefined };
    const { status } = effect;
    const known = status === 429 || status === 500 || status === 502 || status === 504;
    return { delayMs, status: known ? status : undefined };
  };
}
