export { default } from "@tenantry/next-kit/not-found-page";
