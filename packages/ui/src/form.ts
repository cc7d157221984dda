"use client";
import { zodResolver } from "@hookform/resolvers/zod";
import { useForm } from "react-hook-form";
import type { FieldValues, Path, UseFormProps, UseFormReturn } from "react-hook-form";
import type { z } from "zod";

/**
 * react-hook-form validated by a zod schema: messages come from the schema, the first invalid
 * field gets focus on submit, and the submit handler receives the parsed (trimmed) values.
 */
export function useZodForm<S extends z.ZodType<FieldValues, FieldValues>>(
  schema: S,
  options?: Omit<UseFormProps<z.input<S>, unknown, z.output<S>>, "resolver">,
): UseFormReturn<z.input<S>, unknown, z.output<S>> {
  return useForm<z.input<S>, unknown, z.output<S>>({
    resolver: zodResolver(schema),
    ...options,
  });
}

/**
 * Puts the api's per-field messages (`describeApiError(err).fieldErrors`) on the form's fields;
 * `rename` maps an api field to a form field. Returns how many messages found a field.
 */
export function setServerErrors<T extends FieldValues>(
  form: Pick<UseFormReturn<T>, "setError" | "getValues">,
  fieldErrors: Record<string, string>,
  rename: Record<string, Path<T>> = {},
): number {
  const fields = Object.keys(form.getValues());
  let placed = 0;
  for (const [key, message] of Object.entries(fieldErrors)) {
    const name = rename[key] ?? key;
    if (!fields.includes(name)) continue;
    form.setError(name as Path<T>, { type: "server", message });
    placed++;
  }
  return placed;
}
