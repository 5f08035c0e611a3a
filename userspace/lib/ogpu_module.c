// SPDX-License-Identifier: MIT
/*
 * Copyright 2026 The ogpu authors
 *
 * Compute modules: ELF files of RV64G code that ogpu-cc links as
 * position-independent executables with the project's linker script. The
 * loader reads them with libelf, places the image at a VA of its own in
 * the VM (so that modules never collide), copies its loadable segments
 * into one VRAM buffer, applies the R_RISCV_RELATIVE relocations the
 * linker left for absolute pointers, and maps each segment with the
 * permissions its program header asks for.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#include "ogpu_priv.h"

#ifndef EM_RISCV
#define EM_RISCV 243
#endif
#ifndef R_RISCV_RELATIVE
#define R_RISCV_RELATIVE 3
#endif
#ifndef R_RISCV_NONE
#define R_RISCV_NONE 0
#endif

#define PAGE 4096ull
#define PAGE_UP(x) (((x) + PAGE - 1) & ~(PAGE - 1))
#define PAGE_DOWN(x) ((x) & ~(PAGE - 1))

struct ogpu_kernel {
	struct ogpu_module *mod;
	char *name;
	uint64_t va;
};

struct ogpu_module {
	struct ogpu_vm *vm;
	struct ogpu_bo *bo;
	uint64_t va;		/* where the image's address 0 is */
	uint64_t size;		/* bytes of image, whole pages */
	unsigned int nkernels;
	struct ogpu_kernel *kernels;
};

OGPU_EXPORT int ogpu_device_get_compute_props(struct ogpu_device *dev,
					      struct ogpu_compute_props *props)
{
	if (!dev->compute.max_block)
		return -ENODEV;
	*props = dev->compute;
	return 0;
}

OGPU_EXPORT int ogpu_device_get_cu_insns(struct ogpu_device *dev,
					 uint64_t *insns)
{
	struct drm_ogpu_device_info info = {};
	uint32_t size = sizeof(info);
	int ret;

	if (!dev->compute.max_block)
		return -ENODEV;
	ret = ogpu_query(dev->fd, DRM_OGPU_DEV_QUERY_DEVICE_INFO, &info,
			 &size);
	if (ret)
		return ret;
	if (size < offsetof(struct drm_ogpu_device_info, cu_thread_insns) + 8)
		return -ENODEV;
	*insns = info.cu_thread_insns;
	return 0;
}

/* The OGPU's checks on the ELF header: a 64-bit RISC-V PIE. */
static int check_header(Elf *elf, GElf_Ehdr *eh)
{
	if (elf_kind(elf) != ELF_K_ELF || !gelf_getehdr(elf, eh))
		return -ENOEXEC;
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_RISCV ||
	    eh->e_type != ET_DYN)
		return -ENOEXEC;
	return 0;
}

/* The span of the loadable segments: [0, *end), page-rounded. */
static int image_span(Elf *elf, size_t nph, uint64_t *end)
{
	GElf_Phdr ph;
	size_t i;

	*end = 0;
	for (i = 0; i < nph; i++) {
		if (!gelf_getphdr(elf, i, &ph))
			return -ENOEXEC;
		if (ph.p_type != PT_LOAD)
			continue;
		if (ph.p_memsz < ph.p_filesz || ph.p_vaddr > (1ull << 40) ||
		    ph.p_memsz > (1ull << 32))
			return -ENOEXEC;
		if (PAGE_UP(ph.p_vaddr + ph.p_memsz) > *end)
			*end = PAGE_UP(ph.p_vaddr + ph.p_memsz);
	}
	return *end ? 0 : -ENOEXEC;
}

/* Copy the segments' bytes into @map (the image, zeroed). */
static int copy_segments(Elf *elf, size_t nph, const uint8_t *file,
			 size_t file_size, uint8_t *map)
{
	GElf_Phdr ph;
	size_t i;

	for (i = 0; i < nph; i++) {
		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD)
			continue;
		if (ph.p_offset > file_size ||
		    ph.p_filesz > file_size - ph.p_offset)
			return -ENOEXEC;
		memcpy(map + ph.p_vaddr, file + ph.p_offset, ph.p_filesz);
	}
	return 0;
}

/* Apply every SHT_RELA section's R_RISCV_RELATIVE: *offset = base + addend. */
static int relocate(Elf *elf, uint8_t *map, uint64_t size, uint64_t base)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_RELA ||
		    !(sh.sh_flags & SHF_ALLOC))
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !sh.sh_entsize)
			return -ENOEXEC;
		n = sh.sh_size / sh.sh_entsize;
		for (i = 0; i < n; i++) {
			GElf_Rela r;
			uint64_t v;

			if (!gelf_getrela(data, i, &r))
				return -ENOEXEC;
			if (GELF_R_TYPE(r.r_info) == R_RISCV_NONE)
				continue;
			if (GELF_R_TYPE(r.r_info) != R_RISCV_RELATIVE ||
			    r.r_offset > size - 8 || (r.r_offset & 7))
				return -ENOEXEC;
			v = base + r.r_addend;
			memcpy(map + r.r_offset, &v, 8);
		}
	}
	return 0;
}

/* Each global function of the symbol table is a kernel. */
static int find_kernels(Elf *elf, struct ogpu_module *mod)
{
	Elf_Scn *scn = NULL;

	while ((scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t i, n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB)
			continue;
		data = elf_getdata(scn, NULL);
		if (!data || !sh.sh_entsize)
			return -ENOEXEC;
		n = sh.sh_size / sh.sh_entsize;
		mod->kernels = calloc(n ? n : 1, sizeof(*mod->kernels));
		if (!mod->kernels)
			return -ENOMEM;
		for (i = 0; i < n; i++) {
			struct ogpu_kernel *k = &mod->kernels[mod->nkernels];
			const char *name;
			GElf_Sym sym;

			if (!gelf_getsym(data, i, &sym) ||
			    GELF_ST_TYPE(sym.st_info) != STT_FUNC ||
			    GELF_ST_BIND(sym.st_info) != STB_GLOBAL ||
			    sym.st_shndx == SHN_UNDEF ||
			    sym.st_value >= mod->size)
				continue;
			name = elf_strptr(elf, sh.sh_link, sym.st_name);
			if (!name || !*name)
				continue;
			k->name = strdup(name);
			if (!k->name)
				return -ENOMEM;
			k->mod = mod;
			k->va = mod->va + sym.st_value;
			mod->nkernels++;
		}
		return 0;
	}
	return 0;
}

/* Map each segment's pages with its permissions. */
static int bind_segments(Elf *elf, size_t nph, struct ogpu_module *mod)
{
	GElf_Phdr ph;
	size_t i;
	int ret;

	for (i = 0; i < nph; i++) {
		uint64_t start, end;
		unsigned int access = OGPU_ACCESS_READ;

		if (!gelf_getphdr(elf, i, &ph) || ph.p_type != PT_LOAD ||
		    !ph.p_memsz)
			continue;
		start = PAGE_DOWN(ph.p_vaddr);
		end = PAGE_UP(ph.p_vaddr + ph.p_memsz);
		if (ph.p_flags & PF_X)
			access |= OGPU_ACCESS_EXEC;
		if (ph.p_flags & PF_W)
			access |= OGPU_ACCESS_WRITE;
		ret = ogpu_vm_bind(mod->vm, mod->bo, start, mod->va + start,
				   end - start, access);
		/* Segments sharing a page: ogpu-cc's script never makes them. */
		if (ret == -EEXIST || ret == -EBUSY)
			ret = -ENOEXEC;
		if (ret)
			return ret;
	}
	return 0;
}

static void module_free(struct ogpu_module *mod)
{
	unsigned int i;

	for (i = 0; i < mod->nkernels; i++)
		free(mod->kernels[i].name);
	free(mod->kernels);
	if (mod->bo) {
		ogpu_vm_unbind(mod->vm, mod->va, mod->size);
		ogpu_bo_free(mod->bo);
	}
	free(mod);
}

OGPU_EXPORT int ogpu_module_load_data(struct ogpu_vm *vm, const void *image,
				      size_t size, struct ogpu_module **out)
{
	struct ogpu_module *mod;
	GElf_Ehdr eh;
	size_t nph;
	void *map;
	Elf *elf;
	int ret;

	if (!vm || !image || !out)
		return -EINVAL;
	if (elf_version(EV_CURRENT) == EV_NONE)
		return -ENOSYS;
	elf = elf_memory((char *)image, size);
	if (!elf)
		return -ENOEXEC;
	mod = calloc(1, sizeof(*mod));
	if (!mod) {
		elf_end(elf);
		return -ENOMEM;
	}
	mod->vm = vm;

	ret = check_header(elf, &eh);
	if (!ret && elf_getphdrnum(elf, &nph))
		ret = -ENOEXEC;
	if (!ret)
		ret = image_span(elf, nph, &mod->size);
	if (ret)
		goto err;
	mod->va = ogpu_vm_alloc_va(vm, mod->size);
	if (!mod->va) {
		ret = -ENOSPC;
		goto err;
	}
	ret = ogpu_bo_create(vm->dev, mod->size, OGPU_MEM_DEVICE, &mod->bo);
	if (ret)
		goto err;
	ret = ogpu_bo_map(mod->bo, &map);
	if (ret)
		goto err_bo;
	memset(map, 0, mod->size);
	ret = copy_segments(elf, nph, image, size, map);
	if (!ret)
		ret = relocate(elf, map, mod->size, mod->va);
	if (!ret)
		ret = find_kernels(elf, mod);
	ogpu_bo_unmap(mod->bo);
	if (ret)
		goto err_bo;
	ret = bind_segments(elf, nph, mod);
	if (ret)
		goto err;
	elf_end(elf);
	*out = mod;
	return 0;

err_bo:
	ogpu_bo_free(mod->bo);
	mod->bo = NULL;
err:
	elf_end(elf);
	module_free(mod);
	return ret;
}

OGPU_EXPORT int ogpu_module_load_file(struct ogpu_vm *vm, const char *path,
				      struct ogpu_module **out)
{
	struct stat st;
	void *image;
	ssize_t n;
	size_t got = 0;
	int fd, ret;

	if (!path)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > (1 << 30)) {
		ret = fstat(fd, &st) ? -errno : -ENOEXEC;
		close(fd);
		return ret;
	}
	image = malloc(st.st_size ? st.st_size : 1);
	if (!image) {
		close(fd);
		return -ENOMEM;
	}
	while (got < (size_t)st.st_size &&
	       (n = read(fd, (char *)image + got, st.st_size - got)) > 0)
		got += n;
	close(fd);
	ret = ogpu_module_load_data(vm, image, got, out);
	free(image);
	return ret;
}

OGPU_EXPORT void ogpu_module_unload(struct ogpu_module *mod)
{
	if (mod)
		module_free(mod);
}

OGPU_EXPORT int ogpu_module_get_kernel(struct ogpu_module *mod,
				       const char *name,
				       const struct ogpu_kernel **out)
{
	unsigned int i;

	if (!mod || !name || !out)
		return -EINVAL;
	for (i = 0; i < mod->nkernels; i++) {
		if (!strcmp(mod->kernels[i].name, name)) {
			*out = &mod->kernels[i];
			return 0;
		}
	}
	return -ENOENT;
}

OGPU_EXPORT uint64_t ogpu_kernel_va(const struct ogpu_kernel *k)
{
	return k->va;
}

/* The device a kernel's module was loaded for. */
struct ogpu_device *ogpu_kernel_device(const struct ogpu_kernel *k)
{
	return k->mod->vm->dev;
}

/* The VM a kernel's module was loaded into. */
struct ogpu_vm *ogpu_kernel_vm(const struct ogpu_kernel *k)
{
	return k->mod->vm;
}
