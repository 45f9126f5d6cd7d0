import { useSyncExternalStore } from 'react';

/** The municipality a resident chose on the home page, remembered in this browser only. */
export interface ChosenMunicipality {
  id: number;
  name: string;
  shortName: string;
}

const KEY = 'otklik.municipality';
const listeners = new Set<() => void>();
let cachedRaw: string | null | undefined;
let cachedValue: ChosenMunicipality | null = null;
/** Storage can be disabled (a policy, some private modes): then the choice lasts until the page closes. */
let memoryOnly = false;

function read(): ChosenMunicipality | null {
  if (memoryOnly) return cachedValue;
  let raw: string | null = null;
  try {
    raw = window.localStorage.getItem(KEY);
  } catch {
    memoryOnly = true;
    return cachedValue;
  }
  if (raw === cachedRaw) return cachedValue;
  cachedRaw = raw;
  try {
    const parsed = raw ? (JSON.parse(raw) as Partial<ChosenMunicipality>) : null;
    cachedValue =
      parsed && typeof parsed.id === 'number' && typeof parsed.name === 'string'
        ? { id: parsed.id, name: parsed.name, shortName: parsed.shortName ?? parsed.name }
        : null;
  } catch {
    cachedValue = null;
  }
  return cachedValue;
}

export function chooseMunicipality(m: ChosenMunicipality | null): void {
  try {
    if (m) window.localStorage.setItem(KEY, JSON.stringify({ id: m.id, name: m.name, shortName: m.shortName }));
    else window.localStorage.removeItem(KEY);
  } catch {
    memoryOnly = true;
    cachedValue = m;
  }
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function useChosenMunicipality(): ChosenMunicipality | null {
  return useSyncExternalStore(subscribe, read, () => null);
}
