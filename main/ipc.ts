/** IPC channel names shared by the main process and the preload script. */
export const PAIRING_TOKEN_CHANNEL = 'fronta:pairing-token';
