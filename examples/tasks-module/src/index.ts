// The tasks module: its data plus one router (tasks.add, tasks.open), registered as one value.
import { createTRPCRouter, defineAppModule, moduleProcedure } from "@tenantry/api/module-kit";
import { z } from "zod";

import { tasksTenantModule } from "./tasks-module";

const tasksProcedure = moduleProcedure(tasksTenantModule);

const publicTask = (t: { _id: { toString(): string }; title: string; done: boolean }) => ({
  id: t._id.toString(),
  title: t.title,
  done: t.done,
});

const tasksRouter = createTRPCRouter({
  add: tasksProcedure
    .input(z.strictObject({ title: z.string().trim().min(1).max(200) }))
    .mutation(async ({ ctx, input }) => publicTask(await ctx.tenant.models.Task.create(input))),
  open: tasksProcedure.query(async ({ ctx }) => {
    const rows = await ctx.tenant.models.Task.find({ done: false }).sort({ _id: -1 }).lean();
    return rows.map(publicTask);
  }),
});

export const tasks = defineAppModule(tasksTenantModule, tasksRouter);
