import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorCode } from '../../model/error-code';

test('the code of a Node system error', async () => {
  const error = await import('node:fs/promises').then((fs) =>
    fs.readFile('/no/such/file').catch((e: unknown) => e),
  );
  expect(errorCode(error)).toBe('ENOENT');
});

test('the code of the error a fetch failure wraps', async () => {
  // A port that was just free: fetch rejects with a TypeError whose cause has the code.
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  const error = await fetch(`http://127.0.0.1:${port}/`).catch((e: unknown) => e);
  expect(error).toMatchObject({ name: 'TypeError', cause: { code: 'ECONNREFUSED' } });
  expect(errorCode(error)).toBe('ECONNREFUSED');
});

test('undefined for errors and values without a code, and for a cycle of causes', () => {
  expect(errorCode(new Error('plain'))).toBeUndefined();
  expect(errorCode({ code: 42 })).toBeUndefined();
  expect(errorCode('ENOENT')).toBeUndefined();
  expect(errorCode(null)).toBeUndefined();
  const cyclic: { cause?: unknown } = {};
  cyclic.cause = cyclic;
  expect(errorCode(cyclic)).toBeUndefined();
});
