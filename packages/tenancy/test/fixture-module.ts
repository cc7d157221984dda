// A tenant module for tenancy's own tests: a small business collection to read and write
// through scope.models, registered the way an app registers its modules (tenancy's source
// knows no module).
import { Schema } from "mongoose";
import type { Types } from "mongoose";

import type { ModulesModels, Tenancy } from "../src";
import { defineTenantModule, ensureCollection } from "../src";

interface FixtureNoteDoc {
  _id: Types.ObjectId;
  title: string;
  body: string;
  tags: string[];
  authorId: Types.ObjectId;
  authorName: string;
  createdAt: Date;
  updatedAt: Date;
}

const noteSchema = new Schema<FixtureNoteDoc>(
  {
    title: { type: String, required: true },
    body: { type: String, default: "" },
    tags: { type: [String], default: [] },
    authorId: { type: Schema.Types.ObjectId, required: true },
    authorName: { type: String, required: true },
  },
  {
    collection: "notes",
    timestamps: true,
    autoIndex: false,
    autoCreate: false,
    bufferCommands: false,
  },
);
noteSchema.index({ tags: 1 });

const fixtureModule = defineTenantModule({
  name: "fixture-notes",
  schemas: { Note: noteSchema },
  migrations: [
    {
      version: 1,
      name: "notes-collection",
      up: ({ models }) => ensureCollection(models.Note as never),
    },
  ],
});

/** What the fixture module adds to a tenant's schemaVersion (one ledger, at version 1). */
export const FIXTURE_SCHEMA_VERSIONS = 1;

export const TEST_MODULES = [fixtureModule] as const;

/** The Tenancy that createTenancy(testConfig(...)) returns: scope.models has the fixture's Note. */
export type TestModels = ModulesModels<typeof TEST_MODULES>;
export type TestTenancy = Tenancy<TestModels>;
