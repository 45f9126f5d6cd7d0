import { Type } from 'typebox';
import { EMAIL_MAX, NAME_MAX, PASSWORD_MAX } from '../../../shared/limits.ts';
import { ROLES } from '../../../shared/roles.ts';
import { StringEnum } from '../../core/http/schemas.ts';

export const Email = Type.String({ format: 'email', maxLength: EMAIL_MAX });
// Length is checked by the password policy, so its message is the one a person sees.
export const Password = Type.String({ minLength: 1, maxLength: PASSWORD_MAX });
export const PersonName = Type.String({ minLength: 1, maxLength: NAME_MAX, pattern: '\\S' });

export const RoleName = StringEnum(ROLES);

export const RoleGrant = Type.Object({
  role: RoleName,
  roleName: Type.String(),
  regionId: Type.Union([Type.Integer(), Type.Null()]),
  municipalityId: Type.Union([Type.Integer(), Type.Null()]),
  departmentId: Type.Union([Type.Integer(), Type.Null()]),
  regionName: Type.Union([Type.String(), Type.Null()]),
  municipalityName: Type.Union([Type.String(), Type.Null()]),
  departmentName: Type.Union([Type.String(), Type.Null()]),
});

export const User = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  lastName: Type.String(),
  firstName: Type.String(),
  middleName: Type.Union([Type.String(), Type.Null()]),
  emailConfirmed: Type.Boolean(),
  isStaff: Type.Boolean(),
  roles: Type.Array(RoleGrant),
});

export const Session = Type.Object({ user: User, csrfToken: Type.String() });

export const ConsentVersion = Type.Object(
  { version: Type.String({ minLength: 1, maxLength: 40, description: 'the version of the consent text shown' }) },
  { additionalProperties: false },
);

export const RegisterBody = Type.Object(
  {
    email: Email,
    password: Password,
    lastName: PersonName,
    firstName: PersonName,
    middleName: Type.Optional(PersonName),
    consent: Type.Optional({
      ...ConsentVersion,
      description: 'Given only if the resident accepted GET /api/v1/legal/personal-data-consent (152-ФЗ ст. 9); optional',
    }),
  },
  { additionalProperties: false },
);
export const LoginBody = Type.Object({ email: Email, password: Password }, { additionalProperties: false });
export const TokenBody = Type.Object({ token: Type.String({ minLength: 10, maxLength: 200 }) }, { additionalProperties: false });
export const ResetRequestBody = Type.Object({ email: Email }, { additionalProperties: false });
export const ResetBody = Type.Object(
  { token: Type.String({ minLength: 10, maxLength: 200 }), password: Password },
  { additionalProperties: false },
);
