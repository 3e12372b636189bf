import { parseProxyResult } from '../../emulator/gateway/proxy-result';

const parse = (value: unknown) => parseProxyResult(JSON.stringify(value));

describe('parseProxyResult (Lambda proxy result -> HTTP response)', () => {
  it('maps status, headers, multi-value headers and body', () => {
    const outcome = parse({
      statusCode: 201,
      headers: { 'X-One': 'a', 'X-Flag': true },
      multiValueHeaders: { 'Set-Cookie': ['a=1', 'b=2'] },
      body: 'hello',
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.response.statusCode).toBe(201);
    expect(outcome.response.headers.get('x-one')).toEqual({ name: 'X-One', values: ['a'] });
    expect(outcome.response.headers.get('x-flag')?.values).toEqual(['true']);
    expect(outcome.response.headers.get('set-cookie')?.values).toEqual(['a=1', 'b=2']);
    expect(outcome.response.headers.get('content-type')?.values).toEqual(['application/json']);
    expect(outcome.response.body.toString()).toBe('hello');
  });

  it('decodes a base64 body and defaults the status to 200', () => {
    const outcome = parse({
      body: Buffer.from([0, 255]).toString('base64'),
      isBase64Encoded: true,
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.response.statusCode).toBe(200);
    expect([...outcome.response.body]).toEqual([0, 255]);
  });

  it('drops hop-by-hop headers the function cannot set', () => {
    const outcome = parse({
      statusCode: 200,
      headers: { 'Content-Length': '999', Connection: 'x' },
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.response.headers.has('content-length')).toBe(false);
    expect(outcome.response.headers.has('connection')).toBe(false);
  });

  it.each([
    ['a string', 'hello'],
    ['null (the function returned nothing)', null],
    ['an array', [1]],
    ['a non-integer statusCode', { statusCode: 'abc' }],
    ['a fractional statusCode', { statusCode: 200.5 }],
    ['an out-of-range statusCode', { statusCode: 42 }],
    ['a non-string body', { statusCode: 200, body: { a: 1 } }],
    ['a numeric header', { statusCode: 200, headers: { 'x-n': 1 } }],
    ['headers not an object', { statusCode: 200, headers: 'x' }],
    ['a multi-value header not a list', { multiValueHeaders: { 'x-a': 'b' } }],
    ['a non-boolean isBase64Encoded', { body: '', isBase64Encoded: 'yes' }],
    ['an unknown field', { statusCode: 200, body: '', extra: 1 }],
  ])('refuses %s as malformed', (_label, value) => {
    expect(parse(value).ok).toBe(false);
  });

  it('refuses text that is not JSON', () => {
    expect(parseProxyResult('{').ok).toBe(false);
  });
});
