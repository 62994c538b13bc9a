import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback } from 'react';
import { api, ApiError, call, result, type Schemas } from './api/client';

export type CurrentUser = Schemas['CurrentUser'];

/** The signed-in user with their effective permissions, or null when nobody is signed in. */
export function useCurrentUser() {
  return useQuery({
    queryKey: ['me'],
    queryFn: async (): Promise<CurrentUser | null> => {
      try {
        return await result(api.GET('/api/users/me'));
      } catch (error) {
        if (error instanceof ApiError && error.status === 401) return null;
        throw error;
      }
    },
    staleTime: 60_000,
  });
}

/** Whether the signed-in user holds a permission (the server checks again on every request). */
export function useCan(): (permission: string) => boolean {
  const { data } = useCurrentUser();
  return useCallback((permission: string) => data?.permissions.includes(permission) ?? false, [data]);
}

export function useSignOut(): () => Promise<void> {
  const queryClient = useQueryClient();
  return useCallback(async () => {
    await call(api.POST('/api/auth/sign-out')).catch(() => undefined);
    queryClient.clear();
    queryClient.setQueryData(['me'], null);
  }, [queryClient]);
}

export function useSchool() {
  return useQuery({ queryKey: ['school'], queryFn: () => result(api.GET('/api/school')), staleTime: Infinity });
}
