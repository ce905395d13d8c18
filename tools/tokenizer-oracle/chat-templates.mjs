// Renders official chat templates with @huggingface/jinja (the Jinja engine of transformers.js) for the ChatTemplate
// tests. Run: `node chat-templates.mjs [sharedDir]`. Output: tests/AlignedGen.Tests/TestData/tokenizers/chat-templates.json.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Template } from '@huggingface/jinja';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const shared = path.resolve(process.argv[2] ?? path.join(repo, '..', 'shared'));
const outDir = path.join(repo, 'tests', 'AlignedGen.Tests', 'TestData', 'tokenizers');
const version = JSON.parse(fs.readFileSync(path.join(here, 'node_modules', '@huggingface', 'jinja', 'package.json'), 'utf8')).version;
const config = dir => JSON.parse(fs.readFileSync(path.join(shared, dir, 'tokenizer_config.json'), 'utf8'));

// Official templates: Llama 2 and Phi-3 as the shared folders carry them; ChatML and Llama 3 as published in the
// model repositories' tokenizer_config.json (OpenHermes-2.5 / Meta-Llama-3-8B-Instruct).
const templates = {
  chatml: { source: 'ChatML (teknium/OpenHermes-2.5-Mistral-7B tokenizer_config.json)', bos: '<s>', eos: '<|im_end|>',
    template: "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}" },
  llama3: { source: 'meta-llama/Meta-Llama-3-8B-Instruct tokenizer_config.json', bos: '<|begin_of_text|>', eos: '<|eot_id|>',
    template: "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n'+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}" },
  llama2: { source: 'shared/models/stories260K/tokenizer_config.json (Llama 2 chat template)', bos: '<s>', eos: '</s>',
    template: config('models/stories260K').chat_template },
  phi3: { source: 'shared/tokenizers/phi3/tokenizer_config.json', bos: '<s>', eos: '<|endoftext|>',
    template: config('tokenizers/phi3').chat_template },
};

const conversations = {
  single: [{ role: 'user', content: 'Hello there!' }],
  system: [{ role: 'system', content: 'You are a helpful assistant.' }, { role: 'user', content: 'What is 2+2?' }],
  multi: [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: '  Tell me a story.\n' },
    { role: 'assistant', content: 'Once upon a time, a cat sat. ' },
    { role: 'user', content: 'And then?' },
  ],
  endsWithAssistant: [{ role: 'user', content: 'Hi' }, { role: 'assistant', content: 'Hello! How can I help?' }],
  unicode: [{ role: 'user', content: 'Ünïcödé 你好 😀\ttab' }],
};

const out = { oracle: `@huggingface/jinja@${version} (npm)`, templates: {}, cases: [] };
for (const [name, t] of Object.entries(templates)) {
  out.templates[name] = { source: t.source, template: t.template };
  const tpl = new Template(t.template);
  for (const [convName, messages] of Object.entries(conversations)) {
    for (const addGenerationPrompt of [true, false]) {
      let text = null, error = null;
      try {
        text = tpl.render({ messages, bos_token: t.bos, eos_token: t.eos, add_generation_prompt: addGenerationPrompt });
      } catch (e) { error = String(e.message ?? e); }
      out.cases.push({ format: name, conversation: convName, messages, addGenerationPrompt, text, error });
    }
  }
}
fs.writeFileSync(path.join(outDir, 'chat-templates.json'), JSON.stringify(out, null, 1) + '\n');
console.log(`chat templates: ${out.cases.length} renderings`);
