"use client";
import { TextField } from "./field";
import { useToast } from "./toast";

/** A value shown once (an invite link, a new API key): read-only, selected on focus, copyable. */
export function CopyField({
  label,
  value,
  what,
  testId,
}: {
  label: string;
  value: string;
  /** What is copied, for the toasts ("link", "key"). */
  what: string;
  testId?: string;
}) {
  const toast = useToast();
  return (
    <>
      <TextField
        label={label}
        readOnly
        value={value}
        onFocus={(e) => e.currentTarget.select()}
        data-testid={testId}
      />
      <button
        type="button"
        className="btn btn-sm"
        style={{ marginTop: 8 }}
        onClick={() =>
          void navigator.clipboard?.writeText(value).then(
            () => toast.success(`${what.charAt(0).toUpperCase()}${what.slice(1)} copied.`),
            () => toast.error(`Copy failed; select the ${what} and copy it.`),
          )
        }
      >
        Copy {what}
      </button>
    </>
  );
}
