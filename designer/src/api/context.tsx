import { createContext, useContext } from 'react';
import { ApiClient, localStorageKeyStore } from './client';

export const keyStore = localStorageKeyStore();
export const api = new ApiClient({ keys: keyStore });

export const ApiContext = createContext<ApiClient>(api);
export const useApi = () => useContext(ApiContext);
