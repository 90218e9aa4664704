// A user's template directory that cannot be used: the CLI prints the message on one line. Kept apart
// from templates.ts so that the command line can recognise it without loading handlebars.

export class TemplateError extends Error {}
