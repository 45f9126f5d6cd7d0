import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../app/api.ts';

export interface AuditRow {
  id: number;
  at: string;
  actorUserId: number | null;
  actorName: string | null;
  municipalityId: number | null;
  action: string;
  entityType: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
}

export interface AuditFilter {
  action?: string;
  entityType?: string;
  /** ISO date-times; `to` is exclusive. */
  from?: string;
  to?: string;
  municipalityId?: number;
}

export const AUDIT_PAGE = 50;

/** The audit log, newest first, a page at a time (keyset: each page asks for ids below the last one). */
export function useAuditLog(filter: AuditFilter) {
  return useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) =>
      api<{ items: AuditRow[]; nextBefore: number | null }>('/audit', {
        query: { ...filter, limit: AUDIT_PAGE, before: pageParam ?? undefined },
      }),
    initialPageParam: null as number | null,
    getNextPageParam: (last) => last.nextBefore,
  });
}

/** Russian names of the recorded actions; an action without one is shown by its code. */
export const ACTION_NAMES: Record<string, string> = {
  'auth.login': 'Вход в систему',
  'auth.logout': 'Выход из системы',
  'auth.login_failed': 'Неудачная попытка входа',
  'auth.password_reset_requested': 'Запрос на восстановление пароля',
  'auth.password_reset': 'Смена пароля по ссылке',
  'user.register': 'Регистрация жителя',
  'user.email_confirmed': 'Подтверждение адреса почты',
  'user.email_confirmation_resent': 'Повторное письмо для подтверждения адреса',
  'consent.give': 'Согласие на обработку персональных данных',
  'consent.withdraw': 'Отзыв согласия на обработку персональных данных',
  'job.retry': 'Повтор фоновой задачи',
  'user.provision': 'Создание учётной записи сотрудника',
  'user.update': 'Изменение учётной записи',
  'personal_data.read': 'Просмотр персональных данных',
  'department.create': 'Создание подразделения',
  'department.update': 'Изменение подразделения',
  'municipality.create': 'Добавление муниципалитета',
  'municipality.update': 'Изменение муниципалитета',
  'demo.seed': 'Загрузка демонстрационных данных',
};

export const ENTITY_NAMES: Record<string, string> = {
  user: 'Пользователь',
  department: 'Подразделение',
  municipality: 'Муниципалитет',
  region: 'Регион',
  job: 'Фоновая задача',
};
