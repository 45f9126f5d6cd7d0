import { buildUrl } from '../../app/api.ts';
import type { Summary } from './analytics.api.ts';

// Issue 7, item 4 (src/server/modules/exports): the dashboard's tables as CSV (Excel, `;`) and XLSX for the period
// shown, the annual feedback report as DOCX and PDF, and the public open data of the year (CSV, JSON). Plain links:
// the browser downloads them with the session's cookie, under the name the server gives.

export function summaryExportUrl(summary: Summary, format: 'csv' | 'xlsx'): string {
  return buildUrl(`/exports/analytics/municipalities/${summary.municipality.id}/summary.${format}`, {
    from: summary.period.from,
    to: summary.period.to,
    compareFrom: summary.compare.period.from,
    compareTo: summary.compare.period.to,
  });
}

export const reportUrl = (municipalityId: number, year: number, format: 'docx' | 'pdf') =>
  buildUrl(`/reports/municipalities/${municipalityId}/feedback-${year}.${format}`);

/** Open data (public, no personal data): the municipality's cases of a year. */
export const openDataUrl = (slug: string, year: number, format: 'csv' | 'json') =>
  buildUrl(`/open-data/${encodeURIComponent(slug)}/cases.${format}`, { year });

export function ExportLinks({ summary, slug }: { summary: Summary; slug: string | null }) {
  const year = Number(summary.period.to.slice(0, 4));
  const id = summary.municipality.id;
  return (
    <div className="analytics-exports">
      <span className="analytics-exports__group">
        <span className="analytics-exports__title">Таблицы за период:</span>
        <a className="button button--small button--secondary" href={summaryExportUrl(summary, 'csv')} download>
          CSV
        </a>
        <a className="button button--small button--secondary" href={summaryExportUrl(summary, 'xlsx')} download>
          XLSX
        </a>
      </span>
      <span className="analytics-exports__group">
        <span className="analytics-exports__title">Годовой отчёт {year}:</span>
        <a className="button button--small button--secondary" href={reportUrl(id, year, 'docx')} download>
          DOCX
        </a>
        <a className="button button--small button--secondary" href={reportUrl(id, year, 'pdf')} download>
          PDF
        </a>
      </span>
      {slug && (
        <span className="analytics-exports__group">
          <span className="analytics-exports__title">Открытые данные {year}:</span>
          <a className="button button--small button--secondary" href={openDataUrl(slug, year, 'csv')} download>
            CSV
          </a>
          <a className="button button--small button--secondary" href={openDataUrl(slug, year, 'json')}>
            JSON
          </a>
        </span>
      )}
    </div>
  );
}
