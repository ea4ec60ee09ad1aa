import { useEffect, useId, useRef, useState } from "react";

/**
 * A pad to sign on with a finger, a pen or a mouse (pointer events): dark
 * strokes on a transparent canvas at the device's pixel density. `onChange`
 * gets the drawing as a PNG data URL after each stroke, or "" when cleared.
 */
export function SignaturePad({ label, onChange, error }: { label: string; onChange(png: string): void; error?: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [empty, setEmpty] = useState(true);
  const id = useId();

  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const ratio = Math.max(1, Math.min(3, window.devicePixelRatio || 1));
    const { width, height } = c.getBoundingClientRect();
    c.width = Math.round(width * ratio);
    c.height = Math.round(height * ratio);
    const g = c.getContext("2d");
    if (!g) return;
    g.scale(ratio, ratio);
    g.lineWidth = 2.5;
    g.lineCap = "round";
    g.lineJoin = "round";
    g.strokeStyle = "#1b1f24";
  }, []);

  const at = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const start = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const g = e.currentTarget.getContext("2d");
    if (!g) return;
    e.currentTarget.setPointerCapture(e.pointerId);
    drawing.current = true;
    const p = at(e);
    g.beginPath();
    g.moveTo(p.x, p.y);
    g.lineTo(p.x + 0.01, p.y);
    g.stroke();
  };
  const move = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const g = e.currentTarget.getContext("2d");
    if (!g) return;
    const p = at(e);
    g.lineTo(p.x, p.y);
    g.stroke();
  };
  const end = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    drawing.current = false;
    setEmpty(false);
    onChange(e.currentTarget.toDataURL("image/png"));
  };
  const clear = () => {
    const c = canvas.current;
    const g = c?.getContext("2d");
    if (!c || !g) return;
    g.save();
    g.setTransform(1, 0, 0, 1, 0, 0);
    g.clearRect(0, 0, c.width, c.height);
    g.restore();
    setEmpty(true);
    onChange("");
  };
  return (
    <div className={`field signature${error ? " field--error" : ""}`}>
      <span className="field__label" id={`${id}-label`}>
        {label}
      </span>
      <canvas
        ref={canvas}
        className="signature__pad"
        role="img"
        aria-labelledby={`${id}-label`}
        onPointerDown={start}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
      />
      <div className="signature__actions">
        <span className="muted">{empty ? "Sign inside the box with a finger, a pen or the mouse" : "Drawn; it is signed when Sign is pressed"}</span>
        <button type="button" className="button button--quiet" onClick={clear} disabled={empty}>
          Clear
        </button>
      </div>
      {error ? (
        <p className="field__error" role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
