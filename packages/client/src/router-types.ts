// The router types a client program sees: the api's procedures (inputs, outputs), error shape and
// transformer, without its server context. The api's own `AppRouter` carries the context type
// (services, logger, tenancy models, and through them mongoose and pino) in every router's config,
// and the app router is composed from the module list, whose type holds the modules' mongoose
// schemas. A declaration that named `typeof appRouter` would drag all of that into the published
// .d.ts. The views below are inferred from a call, so the declaration emitter writes them out
// structurally (procedures and plain data types only); the build checks the result imports
// nothing but @trpc/* (scripts/build.ts).
import type { AdminRouter as ServerAdminRouter, AppRouter as ServerAppRouter } from "@tenantry/api";
import type {
  AnyTRPCProcedure,
  AnyTRPCRouter,
  TRPCBuiltRouter,
  inferRouterInputs,
  inferRouterOutputs,
} from "@trpc/server";

type Leaf = AnyTRPCProcedure;
type RecordOf<R extends AnyTRPCRouter> = R["_def"]["record"];
type ErrorShapeOf<R extends AnyTRPCRouter> = R["_def"]["_config"]["$types"]["errorShape"];

// Type-level only (declared, never defined): their inferred instantiations below are what the
// declaration emitter writes out. A router's record, three levels deep (the api nests two).
declare function record<R extends AnyTRPCRouter>(): {
  [A in keyof RecordOf<R>]: RecordOf<R>[A] extends Leaf
    ? RecordOf<R>[A]
    : {
        [B in keyof RecordOf<R>[A]]: RecordOf<R>[A][B] extends Leaf
          ? RecordOf<R>[A][B]
          : { [C in keyof RecordOf<R>[A][B]]: RecordOf<R>[A][B][C] };
      };
};
declare function errorShape<R extends AnyTRPCRouter>(): {
  [K in keyof ErrorShapeOf<R>]: ErrorShapeOf<R>[K];
};

// Never called; the JavaScript bundle drops them.
const _appRecord = () => record<ServerAppRouter>();
const _appErrorShape = () => errorShape<ServerAppRouter>();
const _adminRecord = () => record<ServerAdminRouter>();
const _adminErrorShape = () => errorShape<ServerAdminRouter>();

/** The tenant API (`/trpc`), as `TRPCClient<AppRouter>` needs it. */
export type AppRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: ReturnType<typeof _appErrorShape>; transformer: true },
  ReturnType<typeof _appRecord>
>;

/** The super-admin API (`/admin/trpc`). */
export type AdminRouter = TRPCBuiltRouter<
  { ctx: object; meta: object; errorShape: ReturnType<typeof _adminErrorShape>; transformer: true },
  ReturnType<typeof _adminRecord>
>;

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;
export type AdminRouterInputs = inferRouterInputs<AdminRouter>;
export type AdminRouterOutputs = inferRouterOutputs<AdminRouter>;
