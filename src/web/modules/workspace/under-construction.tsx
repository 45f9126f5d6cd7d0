import { Link } from 'react-router';
import { EmptyState, usePageTitle } from '../../app/ui.tsx';
import type { Section } from './sections.ts';

/** A section that is planned but not built yet: says so plainly instead of showing a fake screen. */
export function UnderConstruction({ section }: { section: Section }) {
  usePageTitle(section.title);
  return (
    <>
      <h1>{section.title}</h1>
      <p className="lead">{section.summary}</p>
      <EmptyState icon="tools" title="Раздел в разработке">
        {section.plans && (
          <>
            <p>Здесь появится:</p>
            <ul className="plain-list">
              {section.plans.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          </>
        )}
        <p>
          <Link to="/staff">Вернуться к обзору</Link>
        </p>
      </EmptyState>
    </>
  );
}
