/**
 * A small XML reader for feeds (RSS 2.0, RSS 1.0/RDF, Atom): elements with attributes, text, CDATA, comments and
 * processing instructions, the five predefined entities and character references (XML 1.0 §4.1, §4.6). A DOCTYPE
 * is skipped and its entities are never expanded (no «billion laughs», nothing fetched); an unknown entity such
 * as `&nbsp;` stays as written, for the HTML-to-text step of the description. Names keep their prefix
 * (`content:encoded`, `dc:creator`). Feeds in the wild are often slightly broken, so a stray closing tag is
 * ignored and unclosed elements are closed at the end; only a document without a root element is an error.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (text and CDATA directly inside it, in order). */
  text: string;
}

export class XmlError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at character ${offset}`);
    this.name = 'XmlError';
  }
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const MAX_DEPTH = 200;

export function decodeXmlEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[0-9]{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9._-]*);/g, (whole, ref: string) => {
    if (ref[0] === '#') {
      const n = ref[1] === 'x' ? Number.parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : '\uFFFD';
    }
    return PREDEFINED[ref] ?? whole;
  });
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.\u00B7\u00C0-\uFFFF]*/y;
const ATTR = /\s*([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*("([^"]*)"|'([^']*)')/y;

export function parseXml(src: string): XmlElement {
  const root: XmlElement = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  let i = 0;
  const n = src.length;
  while (i < n) {
    const lt = src.indexOf('<', i);
    const top = stack[stack.length - 1] as XmlElement;
    if (lt === -1 || lt > i) {
      const end = lt === -1 ? n : lt;
      if (stack.length > 1) top.text += decodeXmlEntities(src.slice(i, end));
      i = end;
      continue;
    }
    if (src.startsWith('<!--', i)) {
      const end = src.indexOf('-->', i + 4);
      if (end === -1) throw new XmlError('unterminated comment', i);
      i = end + 3;
    } else if (src.startsWith('<![CDATA[', i)) {
      const end = src.indexOf(']]>', i + 9);
      if (end === -1) throw new XmlError('unterminated CDATA section', i);
      if (stack.length > 1) top.text += src.slice(i + 9, end);
      i = end + 3;
    } else if (src.startsWith('<?', i)) {
      const end = src.indexOf('?>', i + 2);
      if (end === -1) throw new XmlError('unterminated processing instruction', i);
      i = end + 2;
    } else if (src.startsWith('<!', i)) {
      // <!DOCTYPE …> with an optional [internal subset]: skipped whole, its entities never defined.
      let j = i + 2;
      let depth = 0;
      for (; j < n; j++) {
        const c = src[j];
        if (c === '[') depth++;
        else if (c === ']') depth--;
        else if (c === '>' && depth <= 0) break;
      }
      if (j >= n) throw new XmlError('unterminated declaration', i);
      i = j + 1;
    } else if (src[i + 1] === '/') {
      NAME.lastIndex = i + 2;
      const m = NAME.exec(src);
      const end = src.indexOf('>', i + 2);
      if (!m || end === -1) throw new XmlError('malformed closing tag', i);
      const name = m[0];
      // Close up to the matching open element; a closing tag nothing matches is ignored.
      const at = stack.map((e) => e.name).lastIndexOf(name);
      if (at > 0) stack.length = at;
      i = end + 1;
    } else {
      NAME.lastIndex = i + 1;
      const m = NAME.exec(src);
      if (!m) {
        // A bare '<' in text (broken feed): keep it as text.
        if (stack.length > 1) top.text += '<';
        i++;
        continue;
      }
      const el: XmlElement = { name: m[0], attrs: {}, children: [], text: '' };
      let j = NAME.lastIndex;
      for (;;) {
        ATTR.lastIndex = j;
        const a = ATTR.exec(src);
        if (!a) break;
        el.attrs[a[1] as string] = decodeXmlEntities(a[3] ?? a[4] ?? '');
        j = ATTR.lastIndex;
      }
      const close = src.indexOf('>', j);
      if (close === -1) throw new XmlError(`unterminated tag <${el.name}>`, i);
      const selfClosing = src[close - 1] === '/';
      top.children.push(el);
      if (!selfClosing) {
        if (stack.length > MAX_DEPTH) throw new XmlError(`elements nested deeper than ${MAX_DEPTH}`, i);
        stack.push(el);
      }
      i = close + 1;
    }
  }
  const first = root.children[0];
  if (!first) throw new XmlError('no root element', 0);
  return first;
}

/** The first child named `name`. */
export const child = (el: XmlElement | undefined, name: string): XmlElement | undefined =>
  el?.children.find((c) => c.name === name);

export const children = (el: XmlElement | undefined, name: string): XmlElement[] =>
  el ? el.children.filter((c) => c.name === name) : [];

/** The text of the first child named `name`, trimmed; undefined when absent or empty. */
export function textOf(el: XmlElement | undefined, name: string): string | undefined {
  const t = child(el, name)?.text.trim();
  return t ? t : undefined;
}

/** Removes `prefix:` from every element name in the tree (an Atom feed written as <atom:feed>). */
export function stripPrefix(el: XmlElement, prefix: string): void {
  const p = `${prefix}:`;
  if (el.name.startsWith(p)) el.name = el.name.slice(p.length);
  for (const c of el.children) stripPrefix(c, prefix);
}
