// One read of a setting, as a value or as the reason it could not be read. A read that failed
// becomes an `unknown` check ("could not check") naming the permission; it is never a pass.
import { describeAwsError, type DescribedAwsError } from '../aws/awsErrors';
import { PROTECTION_CALLS, type ProtectionCall } from './catalogue';
import { outcome, type Outcome } from './outcome';
import { ProtectionCallError } from './protectionReader';

export type Read<T> = { ok: true; value: T } | { ok: false; call: ProtectionCall; error: DescribedAwsError; permission: string };

function aborted(error: unknown, signal?: AbortSignal): boolean {
  return signal?.aborted === true || (error as { name?: string })?.name === 'AbortError';
}

/**
 * Runs one read. Failures are described with describeAwsError (kind, message, permission);
 * cancelling rethrows, because a cancelled run has no report.
 */
export async function attempt<T>(call: ProtectionCall, target: string, profile: string | undefined, run: () => Promise<T>, signal?: AbortSignal): Promise<Read<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (error) {
    if (aborted(error, signal)) throw error;
    const actual = error instanceof ProtectionCallError ? error.call : call;
    const cause = error instanceof ProtectionCallError ? error.cause : error;
    const described = describeAwsError(cause, actual, error instanceof ProtectionCallError ? error.target : target, profile);
    if (described.kind === 'cancelled') throw error;
    return { ok: false, call: actual, error: described, permission: described.permission ?? PROTECTION_CALLS[actual] };
  }
}

/** The `unknown` outcome of a failed read: what could not be read, the permission, the AWS message. */
export function couldNotCheck(failed: Extract<Read<unknown>, { ok: false }>, what: string): Outcome {
  const denied = failed.error.kind === 'access-denied';
  const o = outcome(
    'unknown',
    denied ? `Could not read ${what}: ${failed.call} was denied (needs ${failed.permission}).` : `Could not read ${what}: ${failed.error.message}`,
    denied ? `Grant ${failed.permission} to the identity that runs the check, or check this setting in the console.` : 'Try again; if it keeps failing, check this setting in the console.',
  );
  return { ...o, permission: failed.permission, message: failed.error.message, failure: failed.error.kind };
}
