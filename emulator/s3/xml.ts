/**
 * The few XML documents S3 answers with, built as strings: no XML library is installed and these
 * shapes are small and fixed. Text is escaped; characters XML 1.0 cannot carry at all are written
 * as character references, as S3 does.
 */
import type { S3Error } from './errors';

export const S3_XML_NAMESPACE = 'http://s3.amazonaws.com/doc/2006-03-01/';

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  '\r': '&#13;',
};

export function escapeXml(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is escaped here
  return text.replace(/[&<>"'\r\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => {
    return ESCAPES[c] ?? `&#${c.charCodeAt(0)};`;
  });
}

export type XmlValue = string | number | boolean | undefined;

/** `<name>text</name>`, or nothing when the value is undefined (optional elements). */
export function textElement(name: string, value: XmlValue): string {
  if (value === undefined) return '';
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** `<name>children</name>`; children are XML already. */
export function parentElement(name: string, children: string): string {
  return `<${name}>${children}</${name}>`;
}

export function xmlDocument(root: string, children: string, namespace = true): string {
  const ns = namespace ? ` xmlns="${S3_XML_NAMESPACE}"` : '';
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root}${ns}>${children}</${root}>`;
}

export function errorDocument(error: S3Error, resource: string, requestId: string): string {
  const details = Object.entries(error.details)
    .map(([name, value]) => textElement(name, value))
    .join('');
  return xmlDocument(
    'Error',
    textElement('Code', error.code) +
      textElement('Message', error.message) +
      details +
      textElement('Resource', resource) +
      textElement('RequestId', requestId) +
      textElement('HostId', requestId),
    false,
  );
}
