import { describe, expect, it } from 'vitest';
import { NameRegistry, operationNameFromPath, typeIdentifier, valueIdentifier } from '../../src/ir/naming.js';

describe('typeIdentifier', () => {
  const table: Array<[given: string, want: string]> = [
    ['pet', 'Pet'],
    ['Pet.Model', 'PetModel'],
    ['pet_model', 'PetModel'],
    ['HTTPError', 'HTTPError'],
    ['3DModel', 'Schema3DModel'],
    ['Ünïcödé Name', 'UnicodeName'],
    ['class', 'Class'],
    ['Object', 'ObjectModel'],
    ['Promise', 'PromiseModel'],
    ['*/', 'Schema'],
    ['${x}', 'X'],
    ['', 'Schema'],
  ];
  it.each(table)('%j -> %s', (given, want) => expect(typeIdentifier(given)).toBe(want));
});

describe('valueIdentifier and operation names', () => {
  const table: Array<[given: string, want: string]> = [
    ['listPets', 'listPets'],
    ['list-pets', 'listPets'],
    ['delete', 'delete_'],
    ['créer-café', 'creerCafe'],
    ['Pets.List', 'petsList'],
    ['200ok', 'operation200ok'],
  ];
  it.each(table)('%j -> %s', (given, want) => expect(valueIdentifier(given)).toBe(want));

  it.each([
    ['get', '/pets/{petId}', 'getPetsByPetId'],
    ['post', '/v1/users/{user.id}/items', 'postV1UsersByUserIdItems'],
    ['delete', '/', 'delete_'],
  ])('%s %s -> %s', (method, path, want) => expect(operationNameFromPath(method, path)).toBe(want));
});

describe('NameRegistry', () => {
  it('keeps names unique ignoring case, in claim order', () => {
    const names = new NameRegistry(['createClient']);
    expect(['Pet', 'pet', 'PET', 'createClient', 'Pet2'].map((n) => names.claim(n))).toEqual(['Pet', 'pet2', 'PET3', 'createClient2', 'Pet22']);
  });
});
