// The contract's Reset message shares its name with the Reset folder's namespace; one alias keeps both readable.
global using ContractReset = ImmutableInfra.Contract.V1.Reset;
