import { ApiError } from "./client";

/** Runs a save with a form's busy and error state: busy while it runs, its error kept. */
export async function saving(setBusy: (b: boolean) => void, setError: (e: ApiError | null) => void, save: () => Promise<void>) {
  setBusy(true);
  setError(null);
  try {
    await save();
  } catch (err) {
    setError(err instanceof ApiError ? err : new ApiError(0, "Error", String(err)));
  } finally {
    setBusy(false);
  }
}
