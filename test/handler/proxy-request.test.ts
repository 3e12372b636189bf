import { contentTypeProblem } from '../../handler/lambda/content-type';
import { readProxyRequest } from '../../handler/lambda/proxy-request';
import { MAX_BODY_BYTES } from '../../model';

describe('contentTypeProblem', () => {
  it.each([
    'application/json',
    'Application/JSON',
    'application/json; charset=utf-8',
    'application/json;charset="UTF-8"',
    'application/vnd.sensor.reading+json',
    'application/merge-patch+json; charset=utf8',
  ])('accepts %s', (value) => {
    expect(contentTypeProblem(value)).toBeUndefined();
  });

  it.each([
    [undefined, /missing/],
    ['', /missing/],
    ['text/plain', /text\/plain is not JSON/],
    ['application/x-www-form-urlencoded', /is not JSON/],
    ['text/json', /is not JSON/],
    ['application/jsonp', /is not JSON/],
    ['json', /not a media type/],
    ['application/json; charset=iso-8859-1', /charset iso-8859-1 is not supported/],
  ])('refuses %p', (value, reason) => {
    expect(contentTypeProblem(value)).toMatch(reason);
  });
});

describe('readProxyRequest', () => {
  const json = { 'Content-Type': 'application/json' };

  it.each([
    ['null', null],
    ['a string', 'event'],
    ['an array', []],
    ['undefined', undefined],
  ])('answers 400 for an event that is %s', (_name, event) => {
    expect(readProxyRequest(event)).toEqual({
      ok: false,
      statusCode: 400,
      message: expect.stringMatching(/Malformed request event/),
    });
  });

  it('answers 400 for null or missing headers', () => {
    for (const event of [{ headers: null, body: '{}' }, { body: '{}' }]) {
      expect(readProxyRequest(event)).toMatchObject({
        ok: false,
        statusCode: 400,
        message: expect.stringMatching(/no headers/),
      });
    }
  });

  it('finds Content-Type whatever the header name case', () => {
    for (const name of ['content-type', 'CONTENT-TYPE', 'Content-type']) {
      expect(readProxyRequest({ headers: { [name]: 'application/json' }, body: '{}' })).toEqual({
        ok: true,
        bodyText: '{}',
      });
    }
  });

  it('answers 415 for a non-JSON or missing content type', () => {
    expect(
      readProxyRequest({ headers: { 'content-type': 'text/plain' }, body: '{}' }),
    ).toMatchObject({ statusCode: 415 });
    expect(readProxyRequest({ headers: {}, body: '{}' })).toMatchObject({ statusCode: 415 });
  });

  it.each([null, undefined, ''])('answers 400 for a body that is %p', (body) => {
    expect(readProxyRequest({ headers: json, body })).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/no body/),
    });
  });

  it('answers 400 for a body that is not a string', () => {
    expect(readProxyRequest({ headers: json, body: { id: 1 } })).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/not a string/),
    });
  });

  it('measures the limit in bytes, not characters', () => {
    const atLimit = 'a'.repeat(MAX_BODY_BYTES);
    expect(readProxyRequest({ headers: json, body: atLimit })).toEqual({
      ok: true,
      bodyText: atLimit,
    });
    // 'é' is 2 bytes in UTF-8: half as many characters already exceed the limit.
    const multiByte = 'é'.repeat(MAX_BODY_BYTES / 2 + 1);
    expect(readProxyRequest({ headers: json, body: multiByte })).toEqual({
      ok: false,
      statusCode: 413,
      message: expect.stringMatching(
        new RegExp(`${MAX_BODY_BYTES + 2} bytes; the limit is ${MAX_BODY_BYTES}`),
      ),
    });
  });

  it('decodes base64 bodies and measures them decoded', () => {
    const text = '{"é":1}';
    expect(
      readProxyRequest({
        headers: json,
        body: Buffer.from(text).toString('base64'),
        isBase64Encoded: true,
      }),
    ).toEqual({ ok: true, bodyText: text });
    // Encoded it is larger than 1 MiB, decoded it is exactly 1 MiB: accepted.
    const exact = Buffer.alloc(MAX_BODY_BYTES, 0x20).toString('base64');
    expect(readProxyRequest({ headers: json, body: exact, isBase64Encoded: true })).toMatchObject({
      ok: true,
    });
    const over = Buffer.alloc(MAX_BODY_BYTES + 1, 0x20).toString('base64');
    expect(readProxyRequest({ headers: json, body: over, isBase64Encoded: true })).toMatchObject({
      statusCode: 413,
    });
  });

  it('answers 400 for a base64 body that is not UTF-8', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64');
    expect(readProxyRequest({ headers: json, body, isBase64Encoded: true })).toMatchObject({
      statusCode: 400,
      message: expect.stringMatching(/UTF-8/),
    });
  });
});
