"use client";
import { ToastProvider } from "@tenantry/ui";
import type { ReactNode } from "react";
import { TRPCProvider } from "~/trpc/react";

export function Providers({ children }: { children: ReactNode }) {
  return (
    <TRPCProvider>
      <ToastProvider>{children}</ToastProvider>
    </TRPCProvider>
  );
}
