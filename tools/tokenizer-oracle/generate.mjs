// Generates oracle token ids for AlignedGen's tokenizer tests with Hugging Face's official `tokenizers`
// (npm, Rust core) and `js-tiktoken`. Run once: `npm install && node generate.mjs [sharedDir]`.
// Output: tests/AlignedGen.Tests/TestData/tokenizers/<name>.json (committed; tests never need node).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import tk from 'tokenizers';
import { getEncoding, encodingForModel } from 'js-tiktoken';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const shared = path.resolve(process.argv[2] ?? path.join(repo, '..', 'shared'));
const outDir = path.join(repo, 'tests', 'AlignedGen.Tests', 'TestData', 'tokenizers');
fs.mkdirSync(outDir, { recursive: true });
const corpus = JSON.parse(fs.readFileSync(path.join(here, 'corpus.json'), 'utf8'));
fs.copyFileSync(path.join(here, 'corpus.json'), path.join(outDir, 'corpus.json'));
const tokVersion = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', 'tokenizers', 'package.json'), 'utf8')).version;
const tiktokenVersion = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', 'js-tiktoken', 'package.json'), 'utf8')).version;

// Deterministic pseudo-random ids for decode cases (LCG, seed per tokenizer).
function randomIdLists(vocabSize, seed, lists, length) {
  let s = seed >>> 0;
  const next = () => { s = (Math.imul(s, 1664525) + 1013904223) >>> 0; return s; };
  const out = [];
  for (let l = 0; l < lists; l++) {
    const ids = [];
    for (let i = 0; i < length; i++) ids.push(next() % vocabSize);
    out.push(ids);
  }
  return out;
}

async function oracleFor(name, relPath, json, extra = {}) {
  const tok = json ? tk.Tokenizer.fromString(json) : tk.Tokenizer.fromFile(path.join(shared, relPath));
  const cases = [];
  for (const text of corpus) {
    const plain = await tok.encode(text, null, { addSpecialTokens: false });
    const withSpecial = await tok.encode(text, null, { addSpecialTokens: true });
    const idsWithSpecial = withSpecial.getIds();
    cases.push({
      text,
      ids: plain.getIds(),
      tokens: plain.getTokens(),
      idsWithSpecial,
      decoded: await tok.decode(plain.getIds(), true),
      decodedWithSpecialSkipped: await tok.decode(idsWithSpecial, true),
      decodedWithSpecialKept: await tok.decode(idsWithSpecial, false),
    });
  }
  const vocabSize = tok.getVocabSize(true);
  const decodeCases = [];
  let seed = 0;
  for (const c of name) seed = (seed * 31 + c.charCodeAt(0)) >>> 0;
  for (const ids of randomIdLists(vocabSize, seed, 8, 24)) {
    decodeCases.push({ ids, skipSpecial: await tok.decode(ids, true), keepSpecial: await tok.decode(ids, false) });
  }
  const result = {
    name, source: relPath, oracle: `tokenizers@${tokVersion} (npm, Hugging Face)`,
    vocabularySize: vocabSize, cases, decodeCases, ...extra,
  };
  if (extra.pairInputs) {
    result.pairs = [];
    for (const p of extra.pairInputs) {
      tok.setTruncation(p.maxLength, { strategy: 'LongestFirst' });
      const e = await tok.encode(p.first, p.second, { addSpecialTokens: true });
      result.pairs.push({ ...p, ids: e.getIds(), typeIds: e.getTypeIds() });
      tok.disableTruncation();
    }
    delete result.pairInputs;
  }
  fs.writeFileSync(path.join(outDir, `${name}.json`), JSON.stringify(result, null, 1) + '\n');
  console.log(`${name}: ${cases.length} cases, vocab ${vocabSize}`);
}

await oracleFor('gpt2', 'tokenizers/gpt2/tokenizer.json');
await oracleFor('phi3', 'tokenizers/phi3/tokenizer.json');
await oracleFor('stories260K', 'models/stories260K/tokenizer.json');
await oracleFor('tiny-random-llama', 'models/tiny-random-llama-fp32/tokenizer.json');

// BERT pairs: corpus combinations and real prompt/response pairs, with longest-first truncation.
const pairInputs = [];
const lengths = [256, 24, 13, 9, 5];
for (let i = 0; i < 12; i++) {
  pairInputs.push({ first: corpus[(i * 7 + 1) % corpus.length], second: corpus[(i * 11 + 3) % corpus.length], maxLength: lengths[i % lengths.length] });
}
const storyPairs = fs.readFileSync(path.join(shared, 'data', 'story-pairs.jsonl'), 'utf8').trim().split('\n').slice(0, 8).map(l => JSON.parse(l));
storyPairs.forEach((p, i) => {
  pairInputs.push({ first: p.prompt, second: p.chosen, maxLength: 256 });
  pairInputs.push({ first: p.prompt, second: p.rejected, maxLength: [32, 17, 40, 10][i % 4] });
});
await oracleFor('rm-wordpiece', 'models/rm-wordpiece/tokenizer.json', null, { pairInputs });

// Variants of the shared tokenizers that exercise components the shared files do not use. Each patch replaces top-level
// components, overrides model fields, filters added tokens and appends new ones; the patches are committed with the
// oracle data and the C# tests apply the same patch to the shared tokenizer.json.
const llama3Regex = "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
const variants = [
  { name: 'gpt2-llama3-style', base: 'tokenizers/gpt2/tokenizer.json', patch: {
    // Llama-3 / Qwen style: regex Split + ByteLevel without regex, ignore_merges, BOS template.
    replace: {
      pre_tokenizer: { type: 'Sequence', pretokenizers: [
        { type: 'Split', pattern: { Regex: llama3Regex }, behavior: 'Isolated', invert: false },
        { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: false } ] },
      post_processor: { type: 'Sequence', processors: [
        { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true },
        { type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: '<|endoftext|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
          pair: [{ SpecialToken: { id: '<|endoftext|>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }, { SpecialToken: { id: '<|endoftext|>', type_id: 1 } }, { Sequence: { id: 'B', type_id: 1 } }],
          special_tokens: { '<|endoftext|>': { id: '<|endoftext|>', ids: [50256], tokens: ['<|endoftext|>'] } } } ] },
    },
    model_overrides: { ignore_merges: true },
    keep_added_token_ids: [50256],
  } },
  { name: 'llama-metaspace-first', base: 'models/tiny-random-llama-fp32/tokenizer.json', patch: {
    // Non-legacy Llama / Mistral style: no normalizer, Metaspace(prepend_scheme first, no split), Metaspace decoder.
    replace: {
      normalizer: null,
      pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false },
      decoder: { type: 'Sequence', decoders: [
        { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'first', split: false }, { type: 'ByteFallback' }, { type: 'Fuse' } ] },
    },
    extra_added_tokens: [
      { id: 32000, content: '[USER]', single_word: false, lstrip: true, rstrip: true, normalized: false, special: true },
    ],
  } },
  { name: 'llama-metaspace-split', base: 'models/tiny-random-llama-fp32/tokenizer.json', patch: {
    // Metaspace(always, split) pre-tokenization with a Strip normalizer and NFKC.
    replace: {
      normalizer: { type: 'Sequence', normalizers: [{ type: 'NFKC' }, { type: 'Strip', strip_left: true, strip_right: true }] },
      pre_tokenizer: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
      decoder: { type: 'Metaspace', replacement: '\u2581', prepend_scheme: 'always', split: true },
    },
  } },
  { name: 'bert-added-tokens', base: 'models/rm-wordpiece/tokenizer.json', patch: {
    // Added tokens with lstrip/rstrip, a normalized (lower-cased) one and a single_word one.
    extra_added_tokens: [
      { id: 30522, content: '[USER]', single_word: false, lstrip: true, rstrip: true, normalized: false, special: true },
      { id: 30523, content: 'Hello World', single_word: false, lstrip: false, rstrip: false, normalized: true, special: false },
      { id: 30524, content: 'ing', single_word: true, lstrip: false, rstrip: false, normalized: false, special: false },
    ],
  } },
];
for (const v of variants) {
  const json = JSON.parse(fs.readFileSync(path.join(shared, v.base), 'utf8'));
  for (const [key, value] of Object.entries(v.patch.replace ?? {})) json[key] = value;
  Object.assign(json.model, v.patch.model_overrides ?? {});
  if (v.patch.keep_added_token_ids) json.added_tokens = json.added_tokens.filter(t => v.patch.keep_added_token_ids.includes(t.id));
  json.added_tokens.push(...(v.patch.extra_added_tokens ?? []));
  await oracleFor(v.name, `${v.base} (patched)`, JSON.stringify(json), { base: v.base, patch: v.patch });
}

// tiktoken encodings by name (js-tiktoken, an independent port of OpenAI's tiktoken), special tokens allowed.
const tiktoken = { oracle: `js-tiktoken@${tiktokenVersion} (npm)`, encodings: {} };
for (const encName of ['gpt2', 'r50k_base', 'cl100k_base', 'o200k_base']) {
  const enc = getEncoding(encName);
  tiktoken.encodings[encName] = corpus.map(text => ({ text, ids: enc.encode(text, 'all') }));
}
const gpt4o = encodingForModel('gpt-4o');
tiktoken.models = { 'gpt-4o': corpus.slice(0, 12).map(text => ({ text, ids: gpt4o.encode(text, 'all') })) };
fs.writeFileSync(path.join(outDir, 'tiktoken.json'), JSON.stringify(tiktoken, null, 1) + '\n');
console.log('tiktoken: done');
