// How push, pull and envoy get registry credentials: `--username U --password-stdin`, else the Docker config.
import { credentialsFromDockerConfigFile, readPasswordFromStdin, type Credentials } from '../oci/credentials.ts';

export const REGISTRY_OPTIONS = {
  username: { type: 'string' },
  'password-stdin': { type: 'boolean' },
  'plain-http': { type: 'boolean' },
} as const;

export const REGISTRY_USAGE = `  --username U          registry user; the password is read from standard input (--password-stdin)
  --password-stdin      read the registry password from standard input
  --plain-http          talk to the registry over http:// instead of https://
  (without --username, credentials for the registry come from $DOCKER_CONFIG/config.json or ~/.docker/config.json)`;

export async function registryCredentials(
  values: { username?: string; 'password-stdin'?: boolean },
  registry: string,
): Promise<Credentials | undefined> {
  if (values['password-stdin'] && !values.username) throw new Error('--password-stdin needs --username');
  if (values.username) {
    if (!values['password-stdin']) throw new Error('--username needs --password-stdin (the password is never taken from the command line)');
    return { username: values.username, password: await readPasswordFromStdin() };
  }
  return credentialsFromDockerConfigFile(registry);
}
