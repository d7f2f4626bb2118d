import * as vscode from 'vscode';

/**
 * Runs long work under a cancellable progress notification; the token becomes an AbortSignal.
 * Cancelling is not an error: the result is then undefined. `report` takes the fraction done (0–1)
 * and a message, and turns it into the notification's increments.
 */
export async function withCancellableProgress<T>(title: string, work: (signal: AbortSignal, report: (fraction: number, message: string) => void) => Promise<T>): Promise<T | undefined> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (progress, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    let shown = 0;
    try {
      return await work(controller.signal, (fraction, message) => {
        const percent = Math.min(100, Math.max(0, 100 * fraction));
        progress.report({ message, increment: Math.max(0, percent - shown) });
        shown = Math.max(shown, percent);
      });
    } catch (error) {
      if (controller.signal.aborted) return undefined;
      throw error;
    } finally {
      cancel.dispose();
    }
  });
}
