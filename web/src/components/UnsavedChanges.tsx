import { useEffect } from "react";
import { useBlocker } from "react-router-dom";

/**
 * While `when` holds (a form has edits not saved or sent), leaving for another
 * page of the studio asks first (Leave without saving, or Stay), and so does
 * reloading or closing the tab (the browser's own question). Needs a data router.
 * `when` as a function is asked at the moment of leaving (a form that has just
 * been sent leaves without a question).
 */
export function UnsavedChanges({ when, what = "The changes on this page are not saved yet." }: { when: boolean | (() => boolean); what?: string }) {
  const holds = () => (typeof when === "function" ? when() : when);
  const blocker = useBlocker(({ currentLocation, nextLocation }) => holds() && currentLocation.pathname !== nextLocation.pathname);
  const edited = typeof when === "function" ? true : when;  // a function: the page may hold edits all along
  useEffect(() => {
    if (!edited) return;
    const warn = (ev: BeforeUnloadEvent) => {
      if (holds()) ev.preventDefault();
    };
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [edited, when]);
  if (blocker.state !== "blocked") return null;
  return (
    <div className="alert alert--error leave" role="alertdialog" aria-label="Unsaved changes">
      <p>{what}</p>
      <div className="form__actions">
        <button type="button" className="button" onClick={() => blocker.proceed()}>
          Leave without saving
        </button>
        <button type="button" className="button button--primary" onClick={() => blocker.reset()}>
          Stay on this page
        </button>
      </div>
    </div>
  );
}
