"use client";
import { useMemo } from "react";
import type { CSSProperties, ReactNode } from "react";
import { Toaster, toast } from "sonner";

export type ToastKind = "info" | "success" | "error";
interface ToastApi {
  show: (message: string, kind?: ToastKind) => void;
  error: (message: string) => void;
  success: (message: string) => void;
}

// Errors stay longer: they usually ask the reader to do something.
const DURATION_MS: Record<ToastKind, number> = { info: 4000, success: 4000, error: 8000 };

function show(message: string, kind: ToastKind = "info") {
  // sonner keeps the queue, the timers (paused on hover and while the tab is hidden), the live
  // region and swipe-to-dismiss; the toast's own markup keeps the look of styles.css.
  toast.custom(
    (id) => (
      <div className={`toast toast-${kind}`} data-testid="toast">
        <span>{message}</span>
        <button type="button" aria-label="Dismiss" onClick={() => toast.dismiss(id)}>
          ×
        </button>
      </div>
    ),
    { duration: DURATION_MS[kind] },
  );
}

/** Renders the toast stack (sonner's Toaster) bottom right, placed like styles.css's `.toasts`. */
export function ToastProvider({ children }: { children: ReactNode }) {
  return (
    <>
      {children}
      <Toaster
        position="bottom-right"
        offset={16}
        mobileOffset={16}
        gap={8}
        visibleToasts={4}
        expand
        toastOptions={{ unstyled: true }}
        style={{ "--width": "min(380px, calc(100vw - 32px))" } as CSSProperties}
      />
    </>
  );
}

export function useToast(): ToastApi {
  return useMemo<ToastApi>(
    () => ({ show, error: (m) => show(m, "error"), success: (m) => show(m, "success") }),
    [],
  );
}
