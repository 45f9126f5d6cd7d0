// For tests: a PDF read back by MuPDF (its WebAssembly build, npm `mupdf`, a devDependency): page count and size,
// the text of each page as a reader's copy would give it, positioned lines, and a page rendered to PNG.
import * as mupdf from 'mupdf';

export interface PdfLine {
  text: string;
  /** The line's box in points from the page's top left. */
  x: number;
  y: number;
  w: number;
  h: number;
  font: string;
}

export interface ReadPdf {
  pages: number;
  /** [width, height] of each page in points. */
  sizes: Array<[number, number]>;
  text(page: number): string;
  lines(page: number): PdfLine[];
  png(page: number, scale?: number): Buffer;
  /** The document's metadata (Title, Author, …). */
  info(key: string): string | undefined;
}

export function readPdf(bytes: Buffer): ReadPdf {
  const doc = mupdf.Document.openDocument(bytes, 'application/pdf');
  const n = doc.countPages();
  const page = (i: number) => doc.loadPage(i);
  return {
    pages: n,
    sizes: Array.from({ length: n }, (_, i) => {
      const [x0, y0, x1, y1] = page(i).getBounds() as [number, number, number, number];
      return [x1 - x0, y1 - y0];
    }),
    text: (i) => page(i).toStructuredText('preserve-whitespace').asText(),
    lines: (i) => {
      const json = JSON.parse(page(i).toStructuredText('preserve-whitespace').asJSON()) as {
        blocks: Array<{ lines?: Array<{ text: string; bbox: PdfLine; font: { name: string } }> }>;
      };
      return json.blocks.flatMap((b) =>
        (b.lines ?? []).map((l) => ({ text: l.text, x: l.bbox.x, y: l.bbox.y, w: l.bbox.w, h: l.bbox.h, font: l.font.name })),
      );
    },
    png: (i, scale = 1.5) =>
      Buffer.from(page(i).toPixmap(mupdf.Matrix.scale(scale, scale), mupdf.ColorSpace.DeviceRGB, false, true).asPNG()),
    info: (key) => doc.getMetaData(`info:${key}`) || undefined,
  };
}
