/**
 * The folder the user typed the command in. `npm run serve` runs the server from the project's
 * root whatever folder npm was started from, so `--record run.csv` typed in `examples/` would
 * land in the root; npm passes the user's folder as `INIT_CWD`. Only a run that npm started for
 * one of our own scripts trusts it: a server spawned by something else (a test under `npm test`
 * inherits `INIT_CWD`) keeps its own working folder.
 * @param env the process's environment.
 * @param cwd the process's working folder.
 * @param scripts the npm scripts that start this entry (e.g. `serve`).
 */
export function invocationDir(
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
  scripts: readonly string[]
): string {
  const script = env['npm_lifecycle_event']
  const initCwd = env['INIT_CWD']
  if (script === undefined || !scripts.includes(script)) return cwd
  return initCwd !== undefined && initCwd !== '' ? initCwd : cwd
}
