// The tasks module's data: a `tasks` collection with its index, built by the module's migration.
import { defineTenantModule, ensureCollection } from "@tenantry/tenancy";
import type { Types } from "mongoose";
import { Schema } from "mongoose";

interface TaskDoc {
  _id: Types.ObjectId;
  title: string;
  done: boolean;
  createdAt: Date;
  updatedAt: Date;
}

const taskSchema = new Schema<TaskDoc>(
  {
    title: { type: String, required: true, maxlength: 200 },
    done: { type: Boolean, default: false },
  },
  {
    collection: "tasks",
    timestamps: true,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
  },
);
taskSchema.index({ done: 1, _id: -1 });

export const tasksTenantModule = defineTenantModule({
  name: "tasks",
  schemas: { Task: taskSchema },
  migrations: [
    {
      version: 1,
      name: "tasks-collection",
      up: ({ models }) => ensureCollection(models.Task as never),
    },
  ],
  async adminStats({ Task }) {
    return { counts: { tasks: await Task.countDocuments({}) }, lastActivityAt: null };
  },
});
