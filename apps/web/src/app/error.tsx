"use client";
export { default } from "@tenantry/next-kit/error-page";
