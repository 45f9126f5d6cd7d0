import { Link, useParams } from 'react-router';
import { ApiError } from '../../app/api.ts';
import { Badge, Icon, Loading, plural, QueryError, usePageTitle } from '../../app/ui.tsx';
import { LeafletMap } from './leaflet-map.tsx';
import { useMapConfig, useReport } from './map.api.ts';
import { dateRu, PUBLIC_EVENT_NAMES, STATE_NAMES } from './names.ts';

/**
 * A report's public page (issue 5): what, where, its state and steps (types and dates), the resident's photo and,
 * once fixed, the after-photo. Nothing personal: no applicant, no text of the report or of the answer.
 */
export function ReportPage() {
  const id = Number(useParams().id);
  const report = useReport(id);
  const config = useMapConfig();
  const r = report.data;
  usePageTitle(r ? `Сообщение ${r.number}` : 'Сообщение');

  if (report.isPending) return <Loading />;
  if (report.error || !r) {
    const gone = report.error instanceof ApiError && report.error.status === 404;
    return (
      <div className="container page page--narrow">
        {gone ? (
          <div className="card card--center">
            <h1>Сообщение не найдено</h1>
            <p className="lead">Возможно, его отозвали, или это не сообщение с карты.</p>
            <Link to="/map" className="button">
              К карте
            </Link>
          </div>
        ) : (
          <QueryError error={report.error} onRetry={() => report.refetch()} />
        )}
      </div>
    );
  }
  const point = { lat: r.lat, lon: r.lon };
  return (
    <div className="container page report-page">
      <p className="breadcrumbs">
        <Link to={`/map?m=${r.municipalityId}`}>
          <Icon name="map" /> Карта сообщений
        </Link>
      </p>
      <div className="report-page__head">
        <h1>{r.categoryName ?? 'Сообщение'}</h1>
        <Badge kind={r.status === 'solved' ? 'success' : 'warning'}>{STATE_NAMES[r.status]}</Badge>
      </div>
      <dl className="report-facts">
        <div>
          <dt>Номер</dt>
          <dd>{r.number}</dd>
        </div>
        <div>
          <dt>Где</dt>
          <dd>{r.address ?? `${r.lat.toFixed(5)}, ${r.lon.toFixed(5)}`}</dd>
        </div>
        <div>
          <dt>Поступило</dt>
          <dd>{dateRu(r.receivedAt)}</dd>
        </div>
        {r.answeredAt && (
          <div>
            <dt>Решено</dt>
            <dd>{dateRu(r.answeredAt)}</dd>
          </div>
        )}
        <div>
          <dt>Муниципалитет</dt>
          <dd>{r.municipalityName}</dd>
        </div>
        {r.joined > 0 && (
          <div>
            <dt>Присоединились</dt>
            <dd>
              ещё {r.joined} {plural(r.joined, ['житель', 'жителя', 'жителей'])}
            </dd>
          </div>
        )}
      </dl>

      {(r.photos.before || r.photos.after) && (
        <section className="report-photos" aria-labelledby="report-photos">
          <h2 id="report-photos" className="visually-hidden">
            Фотографии
          </h2>
          {r.photos.before && (
            <figure className="report-photo">
              <img src={r.photos.before} alt="Фото жителя: как было" loading="lazy" />
              <figcaption>Было</figcaption>
            </figure>
          )}
          {r.photos.after && (
            <figure className="report-photo report-photo--after">
              <img src={r.photos.after} alt="Фото после устранения: как стало" loading="lazy" />
              <figcaption>Стало</figcaption>
            </figure>
          )}
        </section>
      )}

      <div className="report-page__grid">
        <section className="card" aria-labelledby="report-timeline">
          <h2 id="report-timeline" className="card__title">
            <Icon name="clock" /> Ход работы
          </h2>
          <ol className="report-timeline">
            {r.timeline.map((e) => (
              <li key={`${e.type}-${e.at}`} className="report-timeline__item">
                <span className="report-timeline__what">{PUBLIC_EVENT_NAMES[e.type] ?? e.type}</span>
                <span className="report-timeline__when">{dateRu(e.at)}</span>
              </li>
            ))}
          </ol>
        </section>
        <LeafletMap
          label={`Место на карте: ${r.address ?? r.number}`}
          tileUrl={config.data?.tileUrl ?? null}
          attribution={config.data?.attribution ?? null}
          center={[r.lat, r.lon]}
          zoom={16}
          pick={point}
          className="map--small"
        />
      </div>
    </div>
  );
}
