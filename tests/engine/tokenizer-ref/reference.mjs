// Writes the reference token ids and decode outputs of @lenml/tokenizers (a transformers.js
// fork) for every corpus item and all three tokenizers. Usage:
//   node reference.mjs <corpusDir> <outputJson>
import { TokenizerLoader } from "@lenml/tokenizers";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const corpusDir = process.argv[2] ?? path.join(here, "../../data/tokenizer/corpus");
const outFile = process.argv[3] ?? path.join(here, "../../data/tokenizer/reference.json");
const models = ["llama3_1", "llama2", "qwen3"];

const items = fs.readdirSync(corpusDir).filter((f) => f.endsWith(".txt")).sort();
const out = {};
for (const model of models) {
  const dir = path.join(here, "node_modules/@lenml/tokenizer-" + model, "models");
  const tokenizer = TokenizerLoader.fromPreTrained({
    tokenizerJSON: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer.json"), "utf8")),
    tokenizerConfig: JSON.parse(fs.readFileSync(path.join(dir, "tokenizer_config.json"), "utf8")),
  });
  const results = {};
  for (const item of items) {
    const text = fs.readFileSync(path.join(corpusDir, item), "utf8");
    const withSpecial = tokenizer.encode(text, { add_special_tokens: true });
    const plain = tokenizer.encode(text, { add_special_tokens: false });
    results[item] = {
      ids: Array.from(withSpecial),
      ids_no_special: Array.from(plain),
      decoded: withSpecial.length ? tokenizer.decode(withSpecial, { skip_special_tokens: false }) : "",
      decoded_skip_special: withSpecial.length ? tokenizer.decode(withSpecial, { skip_special_tokens: true }) : "",
    };
  }
  out[model] = results;
}
fs.writeFileSync(outFile, JSON.stringify(out, null, 1) + "\n");
