import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { GIF, JPEG, PNG } from '../attachments/test-samples.ts';
import { stripPhotoMetadata } from './strip-metadata.ts';

const segment = (marker: number, payload: string) => {
  const data = Buffer.from(payload, 'latin1');
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(data.length + 2, 2);
  return Buffer.concat([head, data]);
};
/** JPEG with Exif, XMP, IPTC and a comment inserted right after SOI. */
const jpegWith = (...segments: Buffer[]) => Buffer.concat([JPEG.subarray(0, 2), ...segments, JPEG.subarray(2)]);

function pngChunk(type: string, payload: string) {
  const data = Buffer.from(payload, 'latin1');
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}
/** PNG with text chunks after IHDR (8-byte signature + 25-byte IHDR chunk). */
const pngWith = (...chunks: Buffer[]) => Buffer.concat([PNG.subarray(0, 33), ...chunks, PNG.subarray(33)]);

describe('public photos lose their metadata', () => {
  const EXIF = segment(0xe1, 'Exif\0\0Ivanov Ivan Ivanovich; GPS 55.3547 86.0873; 2026:03:01 10:00');
  const XMP = segment(0xe1, 'http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>dc:creator Ivanov</x:xmpmeta>');
  const IPTC = segment(0xed, 'Photoshop 3.0\0by-line Ivanov');
  const COMMENT = segment(0xfe, 'taken by Ivanov');
  const cases: Array<[string, Buffer, string, Buffer]> = [
    ['JPEG: Exif, XMP, IPTC and a comment dropped', jpegWith(EXIF, XMP, IPTC, COMMENT), 'image/jpeg', JPEG],
    ['JPEG without metadata: unchanged', JPEG, 'image/jpeg', JPEG],
    [
      'PNG: text, eXIf and tIME chunks dropped',
      pngWith(
        pngChunk('tEXt', 'Author\0Ivanov'),
        pngChunk('eXIf', 'MM\0*GPS'),
        pngChunk('iTXt', 'Author\0\0\0\0\0Ivanov'),
        pngChunk('tIME', '1234567'),
      ),
      'image/png',
      PNG,
    ],
    ['PNG without metadata: unchanged', PNG, 'image/png', PNG],
    ['GIF passes through', GIF, 'image/gif', GIF],
    ['a truncated JPEG is left alone', jpegWith(EXIF).subarray(0, 10), 'image/jpeg', jpegWith(EXIF).subarray(0, 10)],
  ];
  for (const [name, input, type, expected] of cases) {
    test(name, () => {
      const out = stripPhotoMetadata(input, type);
      assert.deepEqual(out, expected);
      assert.ok(!out.toString('latin1').includes('Ivanov'));
    });
  }
});
