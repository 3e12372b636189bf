export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Reads a server-sent event stream until `done` says so (or the time runs out, which fails);
 * returns every event read and the raw text.
 */
export async function readEvents(
  url: string,
  done: (events: ServerSentEvent[]) => boolean,
  timeoutMs = 15_000,
): Promise<{ events: ServerSentEvent[]; raw: string; contentType: string | null }> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const response = await fetch(url, { signal: controller.signal });
  const events: ServerSentEvent[] = [];
  let raw = '';
  let buffer = '';
  const decoder = new TextDecoder();
  try {
    if (response.body === null) throw new Error('no body');
    for await (const chunk of response.body) {
      const text = decoder.decode(chunk, { stream: true });
      raw += text;
      buffer += text;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (event !== undefined) events.push({ event, data });
        end = buffer.indexOf('\n\n');
      }
      if (done(events)) break;
    }
  } catch (error) {
    if (controller.signal.aborted) {
      throw new Error(
        `the stream did not give what was expected within ${timeoutMs} ms; got: ${raw.slice(-2000)}`,
      );
    }
    throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return { events, raw, contentType: response.headers.get('content-type') };
}
