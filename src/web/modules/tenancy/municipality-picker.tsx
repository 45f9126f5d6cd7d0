import { useSearchParams } from 'react-router';
import { adminScope, useMe } from '../../app/session.tsx';
import { type Municipality, useAdminMunicipalities } from './tenancy.api.ts';

/** The municipalities this administrator manages: all of them for a regional administrator. */
export function useManagedMunicipalities() {
  const { me } = useMe();
  const scope = adminScope(me);
  const query = useAdminMunicipalities();
  const items = query.data?.filter((m) => scope === 'all' || scope.includes(m.id));
  return { query, items };
}

export const REGION = 'region';

/**
 * Which municipality an admin page works on, kept in the address (`?m=12`, or `?m=region` for the regional
 * staff) so a reload or a shared link opens the same one. Defaults to the first managed municipality.
 */
export function useSelectedMunicipality(items: Municipality[] | undefined, allowRegion = false) {
  const [params, setParams] = useSearchParams();
  const raw = params.get('m');
  let selected: number | typeof REGION | null = null;
  if (raw === REGION && allowRegion) selected = REGION;
  else if (raw && items?.some((m) => String(m.id) === raw)) selected = Number(raw);
  else if (items?.[0]) selected = items[0].id;
  const select = (value: number | typeof REGION) =>
    setParams(
      (p) => {
        const next = new URLSearchParams(p);
        next.set('m', String(value));
        return next;
      },
      { replace: true },
    );
  return [selected, select] as const;
}

export function MunicipalityPicker({
  id,
  items,
  selected,
  onSelect,
  allowRegion = false,
}: {
  id: string;
  items: Municipality[];
  selected: number | typeof REGION | null;
  onSelect: (value: number | typeof REGION) => void;
  allowRegion?: boolean;
}) {
  if (items.length === 1 && !allowRegion) {
    return (
      <p className="picker-static">
        Муниципалитет: <strong>{items[0]?.name}</strong>
      </p>
    );
  }
  return (
    <div className="field field--inline">
      <label htmlFor={id} className="field__label">
        Муниципалитет
      </label>
      <select
        id={id}
        className="input select"
        value={selected === null ? '' : String(selected)}
        onChange={(e) => onSelect(e.target.value === REGION ? REGION : Number(e.target.value))}
      >
        {allowRegion && <option value={REGION}>Региональные сотрудники (без муниципалитета)</option>}
        {items.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
            {m.isActive ? '' : ' (не действует)'}
          </option>
        ))}
      </select>
    </div>
  );
}
