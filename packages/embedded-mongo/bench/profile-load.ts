// Load for profiling the server (node --cpu-prof): findOne by _id and durable insertOne.
// Usage: tsx bench/profile-load.ts <uri> <findOne|insert> <clients> <seconds>
import { MongoClient, ObjectId } from "mongodb";

const [uri, kind = "findOne", clientsArg = "1", secondsArg = "5"] = process.argv.slice(2);
const client = await new MongoClient(uri as string, { maxPoolSize: 16 }).connect();
const coll = client.db("prof").collection("docs");
const ids = Array.from({ length: 1000 }, () => new ObjectId());
await coll.insertMany(ids.map((_id, i) => ({ _id, k: i, name: `doc-${i}` })));
const deadline = performance.now() + Number(secondsArg) * 1000;
let n = 0;
await Promise.all(
  Array.from({ length: Number(clientsArg) }, async () => {
    for (let i = 0; performance.now() < deadline; i++, n++) {
      if (kind === "insert") await coll.insertOne({ a: 1, b: "x" });
      else await coll.findOne({ _id: ids[(i * 7919) % ids.length] });
    }
  }),
);
console.log(`${kind}: ${n} ops`);
await client.close();
