/**
 * The permission catalogue (`resource:action`). Routes name one of these, or 'signed-in' or
 * 'public'; roles grant them. The administrator role always holds every entry (auth/bootstrap.ts).
 */
export const PERMISSIONS = {
  'users:read': 'See user accounts, their devices and login history.',
  'users:write': 'Create and edit user accounts, reset passwords, ban and unban.',
  'users:delete': 'Delete user accounts.',
  'staff:read': 'See staff records.',
  'staff:write': 'Create and edit staff records.',
  'staff:delete': 'Delete staff records.',
  'teachers:read': 'See teacher records.',
  'teachers:write': 'Create and edit teacher records.',
  'teachers:delete': 'Delete teacher records.',
  'students:read': 'See full student records.',
  'students:write': 'Create, edit and import student records.',
  'students:delete': 'Delete student records.',
  'roles:read': 'See roles, their permissions and members.',
  'roles:write': 'Create and edit roles and their members.',
  'roles:delete': 'Delete roles that are not system roles.',
  'classes:read': 'See classes and their students.',
  'classes:write': 'Create and edit classes, enrol students, copy classes into a new year.',
  'classes:delete': 'Delete classes and enrolments.',
  'stats:read': 'See the dashboard statistics.',
  'letters:read': "See any user's letters.",
  'letters:create': 'Request letters.',
  'letters:review': 'See every letter; approve or reject letter requests.',
} as const;

export type Permission = keyof typeof PERMISSIONS;

/**
 * What a route requires: a permission, any signed-in user, nobody at all, or 'signed-url': a URL
 * signed by Core (checked by the route itself), or else a signed-in user.
 */
export type Access = Permission | 'signed-in' | 'signed-url' | 'public';

export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as Permission[];

export function isPermission(value: string): value is Permission {
  return Object.hasOwn(PERMISSIONS, value);
}
