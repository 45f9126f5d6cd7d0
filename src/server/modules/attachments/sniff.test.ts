import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkFile, sanitizeFileName, sniff } from './sniff.ts';
import {
  DOCM,
  DOCX,
  ELF,
  EXE,
  ftyp,
  GIF,
  HEIC,
  JPEG,
  MACHO,
  ODT,
  PDF,
  PLAIN_ZIP,
  PNG,
  SHELL,
  TEXT,
  WEBP,
  XLSX,
} from './test-samples.ts';

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

describe('sniff: the type from the bytes', () => {
  const cases: Array<[string, Uint8Array, string]> = [
    ['JPEG', JPEG, 'type:image/jpeg'],
    ['PNG', PNG, 'type:image/png'],
    ['GIF', GIF, 'type:image/gif'],
    ['WebP', WEBP, 'type:image/webp'],
    ['HEIC (heic brand)', HEIC, 'type:image/heic'],
    ['HEIC (only a compatible brand)', ftyp('mif1', 'heic'), 'type:image/heic'],
    ['HEIF (mif1)', ftyp('mif1', 'mif1'), 'type:image/heif'],
    ['MP4 is not an image', ftyp('isom', 'isom', 'mp41'), 'unknown'],
    ['PDF', PDF, 'type:application/pdf'],
    ['UTF-8 text in Russian', TEXT, 'type:text/plain'],
    ['UTF-8 text with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), TEXT]), 'type:text/plain'],
    ['DOCX', DOCX, `type:${DOCX_TYPE}`],
    ['XLSX', XLSX, 'type:application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['ODT', ODT, 'type:application/vnd.oasis.opendocument.text'],
    ['a plain ZIP', PLAIN_ZIP, 'unknown'],
    ['a truncated ZIP', PLAIN_ZIP.subarray(0, 40), 'unknown'],
    ['DOCM (macros)', DOCM, 'executable'],
    ['Windows EXE', EXE, 'executable'],
    ['ELF', ELF, 'executable'],
    ['Mach-O', MACHO, 'executable'],
    ['#!/bin/sh', SHELL, 'executable'],
    ['#! after a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), SHELL]), 'executable'],
    ['OLE (old .doc/.xls)', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]), 'executable'],
    ['Latin-1 bytes (not UTF-8)', Buffer.from([0x48, 0xe9, 0x6c, 0x6c, 0x6f]), 'unknown'],
    ['text with a NUL', Buffer.from('abc\0def'), 'unknown'],
    ['random binary', Buffer.from([0x00, 0x01, 0x02, 0x03, 0xff]), 'unknown'],
    ['empty', Buffer.alloc(0), 'empty'],
  ];
  for (const [name, bytes, expected] of cases) {
    test(name, () => {
      const s = sniff(bytes);
      assert.equal(s.kind === 'type' ? `type:${s.type}` : s.kind, expected);
    });
  }
});

describe('checkFile: content, declared type and name agree', () => {
  const cases: Array<[string, Uint8Array, string | undefined, string, string]> = [
    ['a photo as sent by a browser', JPEG, 'image/jpeg', 'Яма во дворе.JPG', 'ok:image/jpeg:Яма во дворе.JPG'],
    ['image/jpg is an alias', JPEG, 'image/jpg', 'a.jpeg', 'ok:image/jpeg:a.jpeg'],
    ['no declared type: the content decides', PNG, undefined, 'scan.png', 'ok:image/png:scan.png'],
    ['octet-stream declares nothing', DOCX, 'application/octet-stream', 'заявление.docx', `ok:${DOCX_TYPE}:заявление.docx`],
    ['charset parameter ignored', TEXT, 'text/plain; charset=utf-8', 'notes.txt', 'ok:text/plain:notes.txt'],
    ['HEIC declared as HEIF', HEIC, 'image/heif', 'IMG_0001.HEIC', 'ok:image/heic:IMG_0001.HEIC'],
    ['a name without an extension gets one', PDF, 'application/pdf', 'акт', 'ok:application/pdf:акт.pdf'],
    ['no name at all', PDF, 'application/pdf', '', 'ok:application/pdf:file.pdf'],
    ['path parts dropped', PNG, 'image/png', 'C:\\Users\\me\\..\\photo.png', 'ok:image/png:photo.png'],
    ['an EXE named photo.jpg sent as image/jpeg', EXE, 'image/jpeg', 'photo.jpg', 'executable'],
    ['an ELF', ELF, 'application/octet-stream', 'report.pdf', 'executable'],
    ['a shell script as text', SHELL, 'text/plain', 'notes.txt', 'executable'],
    ['a PNG declared as JPEG', PNG, 'image/jpeg', 'photo.jpg', 'mismatch'],
    ['a PNG named .jpg', PNG, undefined, 'photo.jpg', 'mismatch'],
    ['a PDF named .pdf.exe', PDF, 'application/pdf', 'invoice.pdf.exe', 'mismatch'],
    ['text declared as HTML', TEXT, 'text/html', 'page.html', 'mismatch'],
    ['text named .bat', TEXT, undefined, 'run.bat', 'mismatch'],
    ['right-to-left override trick', PDF, undefined, 'invoice\u202Efdp.exe', 'mismatch'],
    ['a plain ZIP', PLAIN_ZIP, 'application/zip', 'photos.zip', 'unknown'],
    ['empty', Buffer.alloc(0), 'text/plain', 'a.txt', 'empty'],
  ];
  for (const [name, bytes, type, fileName, expected] of cases) {
    test(name, () => {
      const r = checkFile(bytes, type, fileName, 200);
      assert.equal(r.ok ? `ok:${r.type}:${r.fileName}` : r.reason, expected, r.ok ? '' : r.message);
    });
  }

  test('messages say what the file is and what is accepted', () => {
    const exe = checkFile(EXE, 'image/jpeg', 'photo.jpg', 200);
    assert.ok(!exe.ok && /Windows program/.test(exe.message) && /not accepted/.test(exe.message), JSON.stringify(exe));
    const mismatch = checkFile(PNG, 'image/jpeg', 'photo.jpg', 200);
    assert.ok(!mismatch.ok && /declared as image\/jpeg but its content is a PNG image/.test(mismatch.message));
    const unknown = checkFile(PLAIN_ZIP, undefined, 'a.zip', 200);
    assert.ok(!unknown.ok && /accepted are JPEG, PNG/.test(unknown.message));
  });
});

describe('sanitizeFileName', () => {
  const cases: Array<[string, string]> = [
    ['Справка о составе семьи.pdf', 'Справка о составе семьи.pdf'],
    ['../../etc/passwd', 'passwd'],
    ['..\\..\\boot.ini', 'boot.ini'],
    ['a\u0000b\u0007c\r\n.txt', 'abc.txt'],
    ['  spaced   out  .txt  ', 'spaced out .txt'],
    ['...hidden.txt', 'hidden.txt'],
    ['bad<>:"|?*.txt', 'bad_______.txt'],
    ['фото\u202Egpj.exe', 'фотоgpj.exe'],
  ];
  for (const [raw, expected] of cases) {
    test(JSON.stringify(raw), () => assert.equal(sanitizeFileName(raw, 200), expected));
  }
  test('long names are cut keeping the extension', () => {
    const name = sanitizeFileName(`${'я'.repeat(300)}.pdf`, 200);
    assert.equal([...name].length, 200);
    assert.ok(name.endsWith('я.pdf'));
  });
});
