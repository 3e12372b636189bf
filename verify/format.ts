import type { VerifyReport } from './verify-landing';

/** Lines for a terminal: counts first, then up to `limit` examples of each problem. */
export function formatVerifyReport(report: VerifyReport, limit = 5): string[] {
  const lines = [
    `${report.ok ? 'OK' : 'FAILED'}: ${report.verified}/${report.expected} confirmed readings stored once with the transformed content`,
    `  missing ${report.missing.length}, duplicated ${report.duplicated.length}, malformed ${report.malformed.length}, mistransformed ${report.mistransformed.length}`,
  ];
  if (report.unconfirmed.total > 0) {
    lines.push(
      `  not confirmed by the server (failed/aborted): ${report.unconfirmed.total}, of which stored anyway: ${report.unconfirmed.landed}`,
    );
  }
  if (report.expected === 0)
    lines.push(
      '  the server confirmed none of the readings: nothing to check (see the producer summary)',
    );
  if (report.otherObjects > 0)
    lines.push(`  other objects under the prefix (earlier runs): ${report.otherObjects}`);
  const examples = <T>(title: string, items: T[], describe: (item: T) => string): void => {
    for (const item of items.slice(0, limit)) lines.push(`  ${title}: ${describe(item)}`);
    if (items.length > limit) lines.push(`  ... and ${items.length - limit} more ${title}`);
  };
  examples('missing', report.missing, (m) => `${m.id} (expected at ${m.key})`);
  examples('duplicated', report.duplicated, (d) => `${d.id} at ${d.keys.join(', ')}`);
  examples('malformed', report.malformed, (m) => `${m.key}: ${m.reason}`);
  examples('mistransformed', report.mistransformed, (m) => `${m.key}: ${m.reason}`);
  return lines;
}
