/** Writing S3 answers: XML documents, empty bodies and error documents. */
import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { S3Error } from './errors';
import { errorDocument } from './xml';

export function sendXml(
  res: ServerResponse,
  status: number,
  xml: string,
  headers: OutgoingHttpHeaders = {},
): void {
  const body = Buffer.from(xml, 'utf8');
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/xml',
    'content-length': body.length,
  });
  res.end(body);
}

export function sendEmpty(
  res: ServerResponse,
  status: number,
  headers: OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { ...headers, 'content-length': 0 });
  res.end();
}

/** The error document; HEAD answers carry the status and headers only, as S3's do. */
export function sendError(
  res: ServerResponse,
  error: S3Error,
  request: { readonly method: string; readonly resource: string; readonly requestId: string },
  headers: OutgoingHttpHeaders = {},
): void {
  if (request.method === 'HEAD') {
    sendEmpty(res, error.status, { ...headers, 'x-amz-error-code': error.code });
    return;
  }
  sendXml(res, error.status, errorDocument(error, request.resource, request.requestId), headers);
}
