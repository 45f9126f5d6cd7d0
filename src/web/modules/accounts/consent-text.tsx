import { type ConsentDocument, versionLabel } from './consent.api.ts';

/**
 * The consent's own text, folded under «Текст согласия» (152-ФЗ ст. 9 as amended by 156-ФЗ: a separate document,
 * apart from any terms of use). The words come from the server, with the version a given consent will name.
 */
export function ConsentTextDetails({ doc, id, open = false }: { doc: ConsentDocument; id: string; open?: boolean }) {
  return (
    <details className="disclosure consent-details" open={open}>
      <summary>Текст согласия</summary>
      <section className="consent-text consent-text--full" aria-labelledby={`${id}-title`}>
        <p id={`${id}-title`} className="consent-text__title">
          {doc.title}
        </p>
        {doc.text.map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
        <p className="muted small">Действующая {versionLabel(doc.version)}.</p>
      </section>
    </details>
  );
}
