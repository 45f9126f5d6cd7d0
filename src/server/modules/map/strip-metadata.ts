/**
 * A photo shown publicly loses what its camera wrote about it (152-ФЗ: the time it was taken, the device and its
 * owner's name, sometimes the home the photo was taken from): JPEG APP1 (Exif, XMP) and APP13 (IPTC) segments and
 * comments; PNG eXIf and text chunks. The pixels are untouched. Anything not understood is returned as it is
 * (the file was already checked by content at upload); other formats pass through.
 */
export function stripPhotoMetadata(bytes: Buffer, contentType: string): Buffer {
  if (contentType === 'image/jpeg') return stripJpeg(bytes);
  if (contentType === 'image/png') return stripPng(bytes);
  return bytes;
}

/** JPEG markers whose segment is dropped: APP1 (Exif/XMP), APP12, APP13 (IPTC), APP14 is kept (colour transform), COM. */
const JPEG_DROP = new Set([0xe1, 0xec, 0xed, 0xfe]);

function stripJpeg(b: Buffer): Buffer {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return b;
  const out: Buffer[] = [b.subarray(0, 2)];
  let i = 2;
  while (i + 4 <= b.length) {
    if (b[i] !== 0xff) return b; // not a marker where one must be: leave the file alone
    const marker = b[i + 1] as number;
    // Start of scan: the rest is image data (and the end marker).
    if (marker === 0xda) {
      out.push(b.subarray(i));
      return Buffer.concat(out);
    }
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    const length = b.readUInt16BE(i + 2);
    if (length < 2 || i + 2 + length > b.length) return b;
    if (!JPEG_DROP.has(marker)) out.push(b.subarray(i, i + 2 + length));
    i += 2 + length;
  }
  return b;
}

const PNG_DROP = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt', 'tIME']);

function stripPng(b: Buffer): Buffer {
  if (b.length < 8 || b.readUInt32BE(0) !== 0x89504e47) return b;
  const out: Buffer[] = [b.subarray(0, 8)];
  let i = 8;
  while (i + 12 <= b.length) {
    const length = b.readUInt32BE(i);
    const type = b.toString('latin1', i + 4, i + 8);
    const end = i + 12 + length;
    if (end > b.length) return b;
    if (!PNG_DROP.has(type)) out.push(b.subarray(i, end));
    i = end;
    if (type === 'IEND') return Buffer.concat(out);
  }
  return b;
}
