import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The four faces a document uses. */
export interface FontFiles {
  family: string;
  regular: string;
  bold: string;
  italic: string;
  boldItalic: string;
}

/**
 * PT Serif (ParaType, 2010; SIL Open Font License 1.1) — a Russian serif made for Russian official and public texts,
 * full Cyrillic — shipped by the npm package @expo-google-fonts/pt-serif, so the PDF does not depend on the
 * server's fonts. Without it (a trimmed install), DejaVu Serif from the OS (Debian's fonts-dejavu-core).
 */
const PACKAGE = '@expo-google-fonts/pt-serif';
const DEJAVU_DIR = '/usr/share/fonts/truetype/dejavu';

function fromPackage(): FontFiles | null {
  try {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve(`${PACKAGE}/package.json`));
    const f = (face: string) => path.join(dir, face, `PTSerif_${face}.ttf`);
    const files = {
      family: 'PT Serif',
      regular: f('400Regular'),
      bold: f('700Bold'),
      italic: f('400Regular_Italic'),
      boldItalic: f('700Bold_Italic'),
    };
    return [files.regular, files.bold, files.italic, files.boldItalic].every((p) => existsSync(p)) ? files : null;
  } catch {
    return null;
  }
}

function fromOs(): FontFiles | null {
  const f = (name: string) => path.join(DEJAVU_DIR, `${name}.ttf`);
  const files = {
    family: 'DejaVu Serif',
    regular: f('DejaVuSerif'),
    bold: f('DejaVuSerif-Bold'),
    italic: f('DejaVuSerif-Italic'),
    boldItalic: f('DejaVuSerif-BoldItalic'),
  };
  return [files.regular, files.bold, files.italic, files.boldItalic].every((p) => existsSync(p)) ? files : null;
}

let cached: FontFiles | undefined;

/** The fonts for PDF documents; an error naming both places when neither has them. */
export function documentFonts(): FontFiles {
  cached ??=
    fromPackage() ??
    fromOs() ??
    (() => {
      throw new Error(
        `No font with Cyrillic for PDF documents: the npm package ${PACKAGE} is missing (run npm ci) and ` +
          `${DEJAVU_DIR}/DejaVuSerif*.ttf are absent (apt-get install fonts-dejavu-core)`,
      );
    })();
  return cached;
}
