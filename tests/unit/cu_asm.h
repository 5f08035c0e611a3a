/* SPDX-License-Identifier: MIT */
/*
 * Copyright 2026 The ogpu authors
 *
 * A tiny RV64G encoder for the compute unit's host tests: the R, I, S, B,
 * U and J formats and the instructions the tests use.
 */
#ifndef OGPU_CU_ASM_H
#define OGPU_CU_ASM_H

#include <stdint.h>

#define RV_U32(x)	((uint32_t)(x))
#define rv_r(op, rd, f3, rs1, rs2, f7) \
	(RV_U32(f7) << 25 | RV_U32(rs2) << 20 | RV_U32(rs1) << 15 | \
	 RV_U32(f3) << 12 | RV_U32(rd) << 7 | RV_U32(op))
#define rv_i(op, rd, f3, rs1, imm) \
	((RV_U32(imm) & 0xfff) << 20 | RV_U32(rs1) << 15 | RV_U32(f3) << 12 | \
	 RV_U32(rd) << 7 | RV_U32(op))
#define rv_s(op, f3, rs1, rs2, imm) \
	((RV_U32(imm) & 0xfe0) << 20 | RV_U32(rs2) << 20 | RV_U32(rs1) << 15 | \
	 RV_U32(f3) << 12 | (RV_U32(imm) & 31) << 7 | RV_U32(op))
#define rv_b(f3, rs1, rs2, imm) \
	(((RV_U32(imm) >> 12) & 1) << 31 | ((RV_U32(imm) >> 5) & 0x3f) << 25 | \
	 RV_U32(rs2) << 20 | RV_U32(rs1) << 15 | RV_U32(f3) << 12 | \
	 ((RV_U32(imm) >> 1) & 15) << 8 | ((RV_U32(imm) >> 11) & 1) << 7 | 0x63)
#define rv_u(op, rd, imm) \
	((RV_U32(imm) & 0xfffff000u) | RV_U32(rd) << 7 | RV_U32(op))
#define rv_j(rd, imm) \
	(((RV_U32(imm) >> 20) & 1) << 31 | ((RV_U32(imm) >> 1) & 0x3ff) << 21 | \
	 ((RV_U32(imm) >> 11) & 1) << 20 | ((RV_U32(imm) >> 12) & 0xff) << 12 | \
	 RV_U32(rd) << 7 | 0x6f)

/* Integer */
#define ADDI(rd, rs, i)		rv_i(0x13, rd, 0, rs, i)
#define SLTI(rd, rs, i)		rv_i(0x13, rd, 2, rs, i)
#define SLTIU(rd, rs, i)	rv_i(0x13, rd, 3, rs, i)
#define XORI(rd, rs, i)		rv_i(0x13, rd, 4, rs, i)
#define ORI(rd, rs, i)		rv_i(0x13, rd, 6, rs, i)
#define ANDI(rd, rs, i)		rv_i(0x13, rd, 7, rs, i)
#define SLLI(rd, rs, i)		rv_i(0x13, rd, 1, rs, (i) & 63)
#define SRLI(rd, rs, i)		rv_i(0x13, rd, 5, rs, (i) & 63)
#define SRAI(rd, rs, i)		rv_i(0x13, rd, 5, rs, 0x400 | ((i) & 63))
#define ADDIW(rd, rs, i)	rv_i(0x1b, rd, 0, rs, i)
#define SLLIW(rd, rs, i)	rv_i(0x1b, rd, 1, rs, (i) & 31)
#define SRLIW(rd, rs, i)	rv_i(0x1b, rd, 5, rs, (i) & 31)
#define SRAIW(rd, rs, i)	rv_i(0x1b, rd, 5, rs, 0x400 | ((i) & 31))
#define ALU(f3, f7, rd, a, b)	rv_r(0x33, rd, f3, a, b, f7)
#define ALUW(f3, f7, rd, a, b)	rv_r(0x3b, rd, f3, a, b, f7)
#define ADD(rd, a, b)		ALU(0, 0, rd, a, b)
#define SUB(rd, a, b)		ALU(0, 0x20, rd, a, b)
#define SLL(rd, a, b)		ALU(1, 0, rd, a, b)
#define SLT(rd, a, b)		ALU(2, 0, rd, a, b)
#define SLTU(rd, a, b)		ALU(3, 0, rd, a, b)
#define XOR(rd, a, b)		ALU(4, 0, rd, a, b)
#define SRL(rd, a, b)		ALU(5, 0, rd, a, b)
#define SRA(rd, a, b)		ALU(5, 0x20, rd, a, b)
#define OR(rd, a, b)		ALU(6, 0, rd, a, b)
#define AND(rd, a, b)		ALU(7, 0, rd, a, b)
#define MUL(rd, a, b)		ALU(0, 1, rd, a, b)
#define MULH(rd, a, b)		ALU(1, 1, rd, a, b)
#define MULHSU(rd, a, b)	ALU(2, 1, rd, a, b)
#define MULHU(rd, a, b)		ALU(3, 1, rd, a, b)
#define DIV(rd, a, b)		ALU(4, 1, rd, a, b)
#define DIVU(rd, a, b)		ALU(5, 1, rd, a, b)
#define REM(rd, a, b)		ALU(6, 1, rd, a, b)
#define REMU(rd, a, b)		ALU(7, 1, rd, a, b)
#define ADDW(rd, a, b)		ALUW(0, 0, rd, a, b)
#define SUBW(rd, a, b)		ALUW(0, 0x20, rd, a, b)
#define SLLW(rd, a, b)		ALUW(1, 0, rd, a, b)
#define SRLW(rd, a, b)		ALUW(5, 0, rd, a, b)
#define SRAW(rd, a, b)		ALUW(5, 0x20, rd, a, b)
#define MULW(rd, a, b)		ALUW(0, 1, rd, a, b)
#define DIVW(rd, a, b)		ALUW(4, 1, rd, a, b)
#define DIVUW(rd, a, b)		ALUW(5, 1, rd, a, b)
#define REMW(rd, a, b)		ALUW(6, 1, rd, a, b)
#define REMUW(rd, a, b)		ALUW(7, 1, rd, a, b)
#define LUI(rd, i)		rv_u(0x37, rd, i)
#define AUIPC(rd, i)		rv_u(0x17, rd, i)
#define JAL(rd, off)		rv_j(rd, off)
#define JALR(rd, rs, i)		rv_i(0x67, rd, 0, rs, i)
#define RET			JALR(0, 1, 0)
#define BEQ(a, b, off)		rv_b(0, a, b, off)
#define BNE(a, b, off)		rv_b(1, a, b, off)
#define BLT(a, b, off)		rv_b(4, a, b, off)
#define BGE(a, b, off)		rv_b(5, a, b, off)
#define BLTU(a, b, off)		rv_b(6, a, b, off)
#define BGEU(a, b, off)		rv_b(7, a, b, off)
/* Memory */
#define LB(rd, rs, i)		rv_i(0x03, rd, 0, rs, i)
#define LH(rd, rs, i)		rv_i(0x03, rd, 1, rs, i)
#define LW(rd, rs, i)		rv_i(0x03, rd, 2, rs, i)
#define LD(rd, rs, i)		rv_i(0x03, rd, 3, rs, i)
#define LBU(rd, rs, i)		rv_i(0x03, rd, 4, rs, i)
#define LHU(rd, rs, i)		rv_i(0x03, rd, 5, rs, i)
#define LWU(rd, rs, i)		rv_i(0x03, rd, 6, rs, i)
#define SB(rs2, rs1, i)		rv_s(0x23, 0, rs1, rs2, i)
#define SH(rs2, rs1, i)		rv_s(0x23, 1, rs1, rs2, i)
#define SW(rs2, rs1, i)		rv_s(0x23, 2, rs1, rs2, i)
#define SD(rs2, rs1, i)		rv_s(0x23, 3, rs1, rs2, i)
#define FLW(rd, rs, i)		rv_i(0x07, rd, 2, rs, i)
#define FLD(rd, rs, i)		rv_i(0x07, rd, 3, rs, i)
#define FSW(rs2, rs1, i)	rv_s(0x27, 2, rs1, rs2, i)
#define FSD(rs2, rs1, i)	rv_s(0x27, 3, rs1, rs2, i)
/* A: width 2 (W) or 3 (D) */
#define AMO(f5, w, rd, addr, src) rv_r(0x2f, rd, w, addr, src, (f5) << 2)
#define AMOADD_W(rd, a, s)	AMO(0x00, 2, rd, a, s)
#define AMOADD_D(rd, a, s)	AMO(0x00, 3, rd, a, s)
#define AMOSWAP_W(rd, a, s)	AMO(0x01, 2, rd, a, s)
#define LR_W(rd, a)		AMO(0x02, 2, rd, a, 0)
#define LR_D(rd, a)		AMO(0x02, 3, rd, a, 0)
#define SC_W(rd, a, s)		AMO(0x03, 2, rd, a, s)
#define SC_D(rd, a, s)		AMO(0x03, 3, rd, a, s)
#define AMOMIN_W(rd, a, s)	AMO(0x10, 2, rd, a, s)
#define AMOMAXU_D(rd, a, s)	AMO(0x1c, 3, rd, a, s)
/* System */
#define CSRRW(rd, csr, rs)	rv_i(0x73, rd, 1, rs, csr)
#define CSRRS(rd, csr, rs)	rv_i(0x73, rd, 2, rs, csr)
#define CSRRC(rd, csr, rs)	rv_i(0x73, rd, 3, rs, csr)
#define CSRRWI(rd, csr, u)	rv_i(0x73, rd, 5, u, csr)
#define CSRRSI(rd, csr, u)	rv_i(0x73, rd, 6, u, csr)
#define CSRRCI(rd, csr, u)	rv_i(0x73, rd, 7, u, csr)
#define CSRR(rd, csr)		CSRRS(rd, csr, 0)
#define BARRIER			CSRRW(0, 0x8c0, 0)
#define ECALL			0x00000073u
#define EBREAK			0x00100073u
#define FENCE			0x0ff0000fu
#define FENCE_I			0x0000100fu
/* F and D: fmt 0 single, 1 double */
#define FOP(f5, fmt, rd, a, b, rm) rv_r(0x53, rd, rm, a, b, (f5) << 2 | (fmt))
#define FADD_S(rd, a, b)	FOP(0x00, 0, rd, a, b, 7)
#define FADD_D(rd, a, b)	FOP(0x00, 1, rd, a, b, 7)
#define FMUL_D(rd, a, b)	FOP(0x02, 1, rd, a, b, 7)
#define FDIV_S(rd, a, b)	FOP(0x03, 0, rd, a, b, 7)
#define FCVT_D_L(rd, a)		FOP(0x1a, 1, rd, a, 2, 7)
#define FCVT_S_W(rd, a)		FOP(0x1a, 0, rd, a, 0, 7)
#define FCVT_W_S(rd, a, rm)	FOP(0x18, 0, rd, a, 0, rm)
#define FMV_X_D(rd, a)		FOP(0x1c, 1, rd, a, 0, 0)
#define FMV_X_W(rd, a)		FOP(0x1c, 0, rd, a, 0, 0)
#define FMV_W_X(rd, a)		FOP(0x1e, 0, rd, a, 0, 0)
#define FMV_D_X(rd, a)		FOP(0x1e, 1, rd, a, 0, 0)
#define FSGNJN_S(rd, a, b)	FOP(0x04, 0, rd, a, b, 1)
#define FLT_D(rd, a, b)		FOP(0x14, 1, rd, a, b, 1)
#define FMADD_D(rd, a, b, c)	(rv_r(0x43, rd, 7, a, b, 1) | (uint32_t)(c) << 27)

#endif
