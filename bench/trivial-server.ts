import { type Child, forkChild, messageOfType } from './child';

export interface TrivialServer {
  url: string;
  child: Child;
  stop(): Promise<void>;
}

/** bench/children/trivial-server.ts in its own process. */
export async function startTrivialServer(): Promise<TrivialServer> {
  const child = forkChild('bench/children/trivial-server.ts');
  const { url } = await child.next(messageOfType<{ type: 'listening'; url: string }>('listening'));
  return { url, child, stop: () => child.stop(5_000) };
}
