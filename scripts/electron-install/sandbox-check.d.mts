export const USERNS_SYSCTL: string
export function userNamespaceAdvice(input: {
  platform: string
  restriction: string | null
  helper: { uid: number; mode: number } | null
  helperPath: string
}): string | null
export function checkUserNamespaces(distDir: string, sysctlPath?: string): string | null
