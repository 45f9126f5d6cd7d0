import { ATTACHMENT_TYPES, type AttachmentType } from '../../../shared/limits.ts';

/**
 * What a file is, decided from its bytes alone (magic numbers), never from its name or declared type.
 * Pure: no I/O, no clock. `checkFile` adds the comparison with what the uploader declared.
 */
export type Sniffed =
  | { kind: 'empty' }
  | { kind: 'executable'; what: string }
  | { kind: 'type'; type: AttachmentType; label: string }
  | { kind: 'unknown'; reason: string };

const startsWith = (b: Uint8Array, sig: readonly number[], at = 0) =>
  b.length >= at + sig.length && sig.every((v, i) => b[at + i] === v);
const ascii = (b: Uint8Array, from: number, to: number) => String.fromCharCode(...b.subarray(from, Math.min(to, b.length)));

/** Programs and scripts: refused whatever the file is called (a «photo.jpg» that starts with MZ is a program). */
const EXECUTABLES: ReadonlyArray<readonly [readonly number[], string]> = [
  [[0x4d, 0x5a], 'a Windows program (MZ/PE)'],
  [[0x7f, 0x45, 0x4c, 0x46], 'a Linux program (ELF)'],
  [[0xfe, 0xed, 0xfa, 0xce], 'a macOS program (Mach-O)'],
  [[0xfe, 0xed, 0xfa, 0xcf], 'a macOS program (Mach-O)'],
  [[0xce, 0xfa, 0xed, 0xfe], 'a macOS program (Mach-O)'],
  [[0xcf, 0xfa, 0xed, 0xfe], 'a macOS program (Mach-O)'],
  [[0xca, 0xfe, 0xba, 0xbe], 'a macOS universal program or a Java class (Mach-O fat / CAFEBABE)'],
  [[0x23, 0x21], 'a script (#!)'],
  [[0xef, 0xbb, 0xbf, 0x23, 0x21], 'a script (#!)'],
  [[0x00, 0x61, 0x73, 0x6d], 'a WebAssembly module'],
  [[0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], 'an old Office/OLE file (may carry macros; save it as DOCX, XLSX or PDF)'],
];

/** ISO BMFF brands of HEIF images (ISO/IEC 23008-12): HEVC-coded ones are image/heic, the rest image/heif. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs']);
const HEIF_BRANDS = new Set(['mif1', 'msf1', 'mif2']);

const LABELS: Record<AttachmentType, string> = {
  'image/jpeg': 'a JPEG image',
  'image/png': 'a PNG image',
  'image/gif': 'a GIF image',
  'image/webp': 'a WebP image',
  'image/heic': 'a HEIC image',
  'image/heif': 'a HEIF image',
  'application/pdf': 'a PDF document',
  'text/plain': 'plain text',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'a Word document (DOCX)',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'an Excel workbook (XLSX)',
  'application/vnd.oasis.opendocument.text': 'an OpenDocument text (ODT)',
};
const found = (type: AttachmentType): Sniffed => ({ kind: 'type', type, label: LABELS[type] });
export const labelOf = (type: AttachmentType) => LABELS[type];

export function sniff(b: Uint8Array): Sniffed {
  if (b.length === 0) return { kind: 'empty' };
  for (const [sig, what] of EXECUTABLES) if (startsWith(b, sig)) return { kind: 'executable', what };
  if (startsWith(b, [0xff, 0xd8, 0xff])) return found('image/jpeg');
  if (startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return found('image/png');
  if (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a') return found('image/gif');
  if (ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') return found('image/webp');
  if (ascii(b, 4, 8) === 'ftyp') {
    const brands = [ascii(b, 8, 12)];
    const boxSize = ((b[0] ?? 0) << 24) | ((b[1] ?? 0) << 16) | ((b[2] ?? 0) << 8) | (b[3] ?? 0);
    for (let at = 16; at + 4 <= Math.min(boxSize, b.length, 64); at += 4) brands.push(ascii(b, at, at + 4));
    if (brands.some((x) => HEIC_BRANDS.has(x))) return found('image/heic');
    if (brands.some((x) => HEIF_BRANDS.has(x))) return found('image/heif');
    return { kind: 'unknown', reason: `an ISO media file (brand ${brands[0]}), not a HEIC/HEIF image` };
  }
  if (ascii(b, 0, 5) === '%PDF-') return found('application/pdf');
  if (startsWith(b, [0x50, 0x4b, 0x03, 0x04])) return sniffZip(b);
  if (startsWith(b, [0x50, 0x4b, 0x05, 0x06])) return { kind: 'unknown', reason: 'an empty ZIP archive' };
  return sniffText(b);
}

/** UTF-8 text without NUL or other control characters (tab, line breaks and form feed allowed); a BOM is fine. */
function sniffText(b: Uint8Array): Sniffed {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(b);
  } catch {
    return { kind: 'unknown', reason: 'binary data of an unknown kind' };
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is looked for
  if (/[\u0000-\u0008\u000b\u000e-\u001f\u007f]/.test(text)) return { kind: 'unknown', reason: 'binary data of an unknown kind' };
  return found('text/plain');
}

/**
 * ZIP containers: DOCX/XLSX by their parts, ODT by its leading `mimetype` entry (ODF 1.2 part 3 §3.3). The central
 * directory (at the end, APPNOTE 4.3.16) lists every entry; macro-carrying Office files (vbaProject.bin) are refused.
 */
function sniffZip(b: Uint8Array): Sniffed {
  const odfMime = 'application/vnd.oasis.opendocument.text';
  if (ascii(b, 30, 38) === 'mimetype' && ascii(b, 38, 38 + odfMime.length) === odfMime) {
    return found('application/vnd.oasis.opendocument.text');
  }
  const names = zipEntryNames(b);
  if (!names) return { kind: 'unknown', reason: 'a damaged ZIP archive' };
  if (names.some((n) => /(^|\/)vbaProject\.bin$/i.test(n))) {
    return { kind: 'executable', what: 'an Office file with macros (save it without macros, as DOCX, XLSX or PDF)' };
  }
  const has = (n: string) => names.includes(n);
  if (has('[Content_Types].xml') && has('word/document.xml')) {
    return found('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
  }
  if (has('[Content_Types].xml') && has('xl/workbook.xml')) {
    return found('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  }
  return { kind: 'unknown', reason: 'a ZIP archive that is not a DOCX, XLSX or ODT document' };
}

function zipEntryNames(b: Uint8Array): string[] | undefined {
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65535 bytes, at the very end.
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return undefined;
  const count = view.getUint16(eocd + 10, true);
  let at = view.getUint32(eocd + 16, true);
  const names: string[] = [];
  const decoder = new TextDecoder('utf-8');
  for (let i = 0; i < count; i++) {
    if (at + 46 > b.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const nameLen = view.getUint16(at + 28, true);
    const extraLen = view.getUint16(at + 30, true);
    const commentLen = view.getUint16(at + 32, true);
    if (at + 46 + nameLen > b.length) return undefined;
    names.push(decoder.decode(b.subarray(at + 46, at + 46 + nameLen)));
    at += 46 + nameLen + extraLen + commentLen;
  }
  return names;
}

/** Declared types browsers and tools send for the same thing. */
const TYPE_ALIASES: Record<string, AttachmentType> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'image/heic-sequence': 'image/heic',
  'image/heif-sequence': 'image/heif',
  'application/x-pdf': 'application/pdf',
};
/** Declared types that say nothing (a browser that does not know the extension sends none or octet-stream). */
const UNDECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream']);

export type FileCheck =
  | { ok: true; type: AttachmentType; fileName: string }
  | { ok: false; reason: 'empty' | 'executable' | 'unknown' | 'mismatch'; message: string };

const ALLOWED_TEXT = 'JPEG, PNG, GIF, WebP, HEIC/HEIF images, PDF, plain text (UTF-8), DOCX, XLSX or ODT';
export const ALLOWED_TYPES_TEXT = ALLOWED_TEXT;

/**
 * A file name as the uploader gave it, made safe to store and to send back: only the last path part, no control
 * or bidirectional-override characters (a «photo‮gpj.exe» trick), no leading dots, at most `max` characters
 * (the extension kept). Letters of every script (Cyrillic included) stay.
 */
export function sanitizeFileName(raw: string, max: number): string {
  const base = raw.split(/[/\\]/).pop() ?? '';
  let name = base
    .normalize('NFC')
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, '')
    .replace(/[<>:"|?*]/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '');
  if ([...name].length > max) {
    const dot = name.lastIndexOf('.');
    const ext = dot > 0 && name.length - dot <= 10 ? name.slice(dot) : '';
    name = [...name.slice(0, name.length - ext.length)].slice(0, max - ext.length).join('') + ext;
  }
  return name;
}

const extensionOf = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};

/**
 * The whole check of an upload: the content decides the type; the declared Content-Type (unless it declares
 * nothing) and the name's extension (if it has one) must agree with it. A name without an extension gets the
 * type's canonical one; a missing name becomes «file.<ext>».
 */
export function checkFile(bytes: Uint8Array, declaredType: string | undefined, declaredName: string, maxName: number): FileCheck {
  const s = sniff(bytes);
  if (s.kind === 'empty') return { ok: false, reason: 'empty', message: 'The file is empty' };
  if (s.kind === 'executable') {
    return { ok: false, reason: 'executable', message: `The file is ${s.what}; programs and scripts are not accepted` };
  }
  if (s.kind === 'unknown') {
    return { ok: false, reason: 'unknown', message: `The file is ${s.reason}; accepted are ${ALLOWED_TEXT}` };
  }
  const spec = ATTACHMENT_TYPES.find((t) => t.type === s.type);
  const declared = (declaredType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const declaredCanon = TYPE_ALIASES[declared] ?? declared;
  const heif = (t: string) => t === 'image/heic' || t === 'image/heif';
  if (!UNDECLARED.has(declared) && declaredCanon !== s.type && !(heif(declaredCanon) && heif(s.type))) {
    return {
      ok: false,
      reason: 'mismatch',
      message: `The file is declared as ${declared} but its content is ${s.label}; send it with its real type`,
    };
  }
  let fileName = sanitizeFileName(declaredName, maxName);
  const ext = extensionOf(fileName);
  const allowed: readonly string[] = spec?.extensions ?? [];
  if (ext && !allowed.includes(ext)) {
    // A known type under a name that is not: «report.pdf.exe», «photo.jpg.js», or just a wrong extension.
    return {
      ok: false,
      reason: 'mismatch',
      message: `The file name ends in .${ext} but its content is ${s.label} (expected .${allowed.join(', .')})`,
    };
  }
  if (!fileName) fileName = 'file';
  if (!ext) fileName = `${fileName}.${allowed[0]}`;
  return { ok: true, type: s.type, fileName };
}
