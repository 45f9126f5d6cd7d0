/**
 * A tiny XML writer for the GeoReport v2 documents (schemaless, no namespace, UTF-8 declaration first — open311.org
 * GeoReport v2, «XML Support»). A node is [tag, content]: text, a number, a boolean, null (an empty element) or
 * child nodes. Text is escaped and characters XML 1.0 cannot carry are dropped.
 */
export type XmlNode = readonly [tag: string, content: string | number | boolean | null | readonly XmlNode[]];

// biome-ignore lint/suspicious/noControlCharactersInRegex: removing the control characters XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export const escapeXml = (s: string) => s.replace(FORBIDDEN, '').replace(/[&<>"']/g, (c) => ENTITIES[c] as string);

function render(node: XmlNode, out: string[]): void {
  const [tag, content] = node;
  if (content === null || content === '') {
    out.push(`<${tag}/>`);
  } else if (Array.isArray(content)) {
    out.push(`<${tag}>`);
    for (const child of content as readonly XmlNode[]) render(child, out);
    out.push(`</${tag}>`);
  } else {
    out.push(`<${tag}>${escapeXml(String(content))}</${tag}>`);
  }
}

export function xmlDocument(root: XmlNode): string {
  const out = ['<?xml version="1.0" encoding="utf-8"?>\n'];
  render(root, out);
  return out.join('');
}

/** An object's fields as child elements, in its key order (arrays of objects become repeated `item` elements). */
export function fields(obj: Record<string, unknown>, item: Record<string, string> = {}): XmlNode[] {
  return Object.entries(obj).map(([k, v]): XmlNode => {
    if (Array.isArray(v)) {
      const tag = item[k] ?? k;
      return [k, v.map((x): XmlNode => (typeof x === 'object' && x !== null ? [tag, fields(x, item)] : [tag, toText(x)]))];
    }
    if (typeof v === 'object' && v !== null) return [k, fields(v as Record<string, unknown>, item)];
    return [k, toText(v)];
  });
}

const toText = (v: unknown): string | number | boolean | null =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : null;
